package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.support.CommandException;

/** Fake stores plus captured output, and the commands wired to them as Karaf would inject them. */
final class Fixture {

    final FakeDomainStore domains = new FakeDomainStore();
    final FakeUserStore users = new FakeUserStore(domains);
    final FakeLocationStore locations = new FakeLocationStore();
    final FakeFlowRegistry flows = new FakeFlowRegistry();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Everything the commands printed so far. */
    String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** State of every store, to prove that a refusal changed nothing. */
    String snapshot() {
        return domains.snapshot() + "\n" + users.snapshot() + "\n" + locations.snapshot();
    }

    /**
     * Runs the command expecting a refusal with exactly this one-line message, as Karaf will print
     * it, and checks that no store changed and nothing was printed.
     */
    void assertRefused(String expected, ConfabAction command) {
        String before = snapshot();
        String printed = output();
        try {
            command.execute();
            fail("expected refusal: " + expected);
        } catch (CommandException e) {
            assertEquals(expected, e.getMessage());
            assertEquals("Error executing command: " + expected, e.getNiceHelp());
            assertFalse("one line", e.getMessage().contains("\n") || e.getMessage().contains("\r"));
        } catch (Exception e) {
            throw new AssertionError("expected CommandException, got " + e, e);
        }
        assertEquals("store changed by a refused command", before, snapshot());
        assertEquals("refused command printed output", printed, output());
    }

    /** The data rows of a printed ShellTable (header and rule skipped), cells trimmed. */
    static List<List<String>> rows(String printed) {
        List<List<String>> rows = new ArrayList<>();
        String[] lines = printed.split("\\R");
        for (int i = 2; i < lines.length; i++) {
            List<String> cells = new ArrayList<>();
            for (String cell : lines[i].split("[|\u2502]", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The header cells of a printed ShellTable. */
    static List<String> header(String printed) {
        List<String> cells = new ArrayList<>();
        for (String cell : printed.split("\\R")[0].split("[|\u2502]", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }

    <T extends ConfabAction> T wire(T command) {
        command.out = out;
        return command;
    }

    DomainAddCommand domainAdd(String domain) {
        DomainAddCommand c = wire(new DomainAddCommand());
        c.domains = domains;
        c.domain = domain;
        return c;
    }

    DomainRemoveCommand domainRemove(String domain) {
        DomainRemoveCommand c = wire(new DomainRemoveCommand());
        c.domains = domains;
        c.users = users;
        c.domain = domain;
        return c;
    }

    DomainListCommand domainList() {
        DomainListCommand c = wire(new DomainListCommand());
        c.domains = domains;
        c.users = users;
        return c;
    }

    UserEnableCommand userEnable(String uri) {
        UserEnableCommand c = wire(new UserEnableCommand());
        c.domains = domains;
        c.users = users;
        c.uri = uri;
        return c;
    }

    UserImportCommand userImport(String file) {
        UserImportCommand c = wire(new UserImportCommand());
        c.domains = domains;
        c.users = users;
        c.file = file;
        return c;
    }

    UserDisableCommand userDisable(String uri) {
        UserDisableCommand c = wire(new UserDisableCommand());
        c.users = users;
        c.locations = locations;
        c.uri = uri;
        return c;
    }

    UserPasswordCommand userPassword(String uri, String password) {
        UserPasswordCommand c = wire(new UserPasswordCommand());
        c.users = users;
        c.uri = uri;
        c.passwordArgument = password;
        return c;
    }

    UserListCommand userList(String filter) {
        UserListCommand c = wire(new UserListCommand());
        c.users = users;
        c.locations = locations;
        c.filter = filter;
        return c;
    }

    EndpointsCommand endpoints(String user) {
        EndpointsCommand c = wire(new EndpointsCommand());
        c.users = users;
        c.locations = locations;
        c.flows = flows;
        c.user = user;
        return c;
    }
}
