package org.confab.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.confab.api.store.Binding;

/** SQL of RTC.BINDINGS. The caller owns the connection and the transaction. */
final class BindingTable {

    static final int MAX_CONTACT = 1024;
    static final int MAX_FLOW_ID = 128;
    static final int MAX_TRANSPORT = 8;
    static final int MAX_SOURCE = 80;
    static final int MAX_INSTANCE_ID = 256;
    static final int MAX_CALL_ID = 256;
    static final int MAX_USER_AGENT = 256;

    private static final String COLUMNS =
            "AOR, CONTACT, FLOW_ID, TRANSPORT, SOURCE, EXPIRES, INSTANCE_ID, REG_ID, CALL_ID, CSEQ, USER_AGENT, Q";

    private BindingTable() {
    }

    /** Deletes the rows lapsed at {@code now}; returns how many. */
    static int deleteExpired(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM RTC.BINDINGS WHERE EXPIRES <= ?")) {
            ps.setLong(1, now.toEpochMilli());
            return ps.executeUpdate();
        }
    }

    /** Every row; gives up ({@link LoadCancelledException}) once {@code cancelled} says so. */
    static List<Binding> loadAll(Connection c, BooleanSupplier cancelled) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM RTC.BINDINGS")) {
            return read(ps, cancelled);
        }
    }

    private static final String BY_AOR = "SELECT " + COLUMNS + " FROM RTC.BINDINGS WHERE AOR = ?";

    /** One AOR's rows, by the primary key's leading column. */
    static List<Binding> loadAor(Connection c, String aor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BY_AOR)) {
            ps.setString(1, aor);
            return read(ps, () -> false);
        }
    }

    static void prepareLoadAor(Connection c) throws SQLException {
        c.prepareStatement(BY_AOR).close();
    }

    private static List<Binding> read(PreparedStatement ps, BooleanSupplier cancelled) throws SQLException {
        List<Binding> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (cancelled.getAsBoolean()) {
                    throw new LoadCancelledException();
                }
                out.add(new Binding(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7), rs.getInt(8),
                        rs.getString(9), rs.getLong(10), rs.getString(11), rs.getInt(12)));
            }
        }
        return out;
    }

    static int count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM RTC.BINDINGS");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Makes the rows of each AOR equal to {@code current.apply(aor)}: one batch of deletes, one
     * of inserts, whatever the number of AORs (two round trips to a Network Server).
     */
    static void replace(Connection c, Collection<String> aors, Function<String, List<Binding>> current)
            throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM RTC.BINDINGS WHERE AOR = ?")) {
            for (String aor : aors) {
                delete.setString(1, aor);
                delete.addBatch();
            }
            delete.executeBatch();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO RTC.BINDINGS (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int rows = 0;
            for (String aor : aors) {
                for (Binding b : current.apply(aor)) {
                    insert.setString(1, b.aor());
                    insert.setString(2, b.contact());
                    setNullable(insert, 3, b.flowId());
                    setNullable(insert, 4, b.transport());
                    setNullable(insert, 5, b.source());
                    insert.setLong(6, b.expires().toEpochMilli());
                    setNullable(insert, 7, b.instanceId());
                    insert.setInt(8, b.regId());
                    setNullable(insert, 9, b.callId());
                    insert.setLong(10, b.cseq());
                    insert.setString(11, b.userAgent());
                    insert.setInt(12, b.q());
                    insert.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        }
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
