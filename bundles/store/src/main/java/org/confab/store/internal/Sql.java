package org.confab.store.internal;

import java.sql.SQLException;

/** SQLStates the store tells apart; they are the SQL standard's, so PostgreSQL answers the same. */
final class Sql {

    static final String UNIQUE_VIOLATION = "23505";
    static final String FOREIGN_KEY_VIOLATION = "23503";

    private Sql() {
    }

    static boolean is(SQLException e, String sqlState) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (sqlState.equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
