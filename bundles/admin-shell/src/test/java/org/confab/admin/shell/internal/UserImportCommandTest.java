package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.StoreException;
import org.confab.api.store.User;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UserImportCommandTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final Fixture fx = new Fixture();

    {
        fx.domains.add("example.com");
        fx.domains.add("example.net");
    }

    @Test
    public void importsAGoodFile() throws Exception {
        // a byte order mark, CRLF line ends, comments, blank lines, quoting and spaces around fields
        Path file = write(("\uFEFF# sip-uri,password[,display name]\r\n"
                + "sip:alice@example.com,Wonder-Land-7,\"Smith, Alice\"\r\n"
                + "\r\n"
                + "   # a comment after spaces\n"
                + " bob@EXAMPLE.net , Build-Er-42x \n"
                + "sip:carol@example.com,\" Pass,word \"\"9\"\"\",Carol\n"
                + "sip:dave@example.com,Sunny-Day-1,").getBytes(StandardCharsets.UTF_8));
        fx.userImport(file.toString()).execute();

        User alice = fx.users.find("sip:alice@example.com").orElseThrow();
        assertEquals("Smith, Alice", alice.displayName());
        assertTrue(alice.enabled());
        assertEquals(ServerName.local(), alice.homePool());
        assertEquals("", fx.users.find("sip:bob@example.net").orElseThrow().displayName());
        assertEquals("", fx.users.find("sip:dave@example.com").orElseThrow().displayName());
        // credentials as confab:user-enable makes them, realm = the user's domain
        assertEquals(DigestSecrets.credentials("sip:alice@example.com", "example.com", "Wonder-Land-7"),
                fx.users.credentials.get("sip:alice@example.com Digest"));
        assertEquals(DigestSecrets.credentials("sip:bob@example.net", "example.net", "Build-Er-42x"),
                fx.users.credentials.get("sip:bob@example.net Digest"));
        assertEquals("quotes keep spaces and commas", DigestSecrets.credentials("sip:carol@example.com", "example.com",
                " Pass,word \"9\""), fx.users.credentials.get("sip:carol@example.com Digest"));
        assertEquals(List.of(4), fx.users.createAllBatches);
        assertTrue(fx.output(), fx.output().matches("Imported 4 users from " + quoted(file)
                + " in \\d+\\.\\d s \\([\\d,]+ users/s\\); skipped 0 existing users\\.\\R"));
    }

    @Test
    public void storesInBatchesOfAThousandWithTheGivenHomePool() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            sb.append("sip:user").append(i).append("@example.com,Pass-word-").append(i).append('\n');
        }
        UserImportCommand c = fx.userImport(write(sb.toString()).toString());
        c.homePool = "Pool1.Example.com";
        c.execute();
        assertEquals(List.of(1000, 1000, 500), fx.users.createAllBatches);
        assertEquals(2500, fx.users.users.size());
        assertEquals("pool1.example.com", fx.users.find("sip:user2499@example.com").orElseThrow().homePool());
        assertTrue(fx.output(), fx.output().startsWith("Imported 2,500 users from "));
    }

    @Test
    public void listsEveryBadLineWithItsNumberAndChangesNothing() throws Exception {
        fx.users.put("sip:existing@example.com", "Old", true, "fe1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("# header\n"                                         // 1
                + "sip:good@example.com,Fine-Pass-1,Good\n"                    // 2
                + "sip:al ice@example.com,Fine-Pass-1\n"                       // 3
                + "sip:bob@example.org,Fine-Pass-1\n"                          // 4
                + "sip:carol@example.com,short1A\n"                            // 5
                + "sip:good@EXAMPLE.com,Fine-Pass-2\n"                         // 6
                + "sip:existing@example.com,Fine-Pass-1\n"                     // 7
                + "sip:dave@example.com\n"                                     // 8
                + "sip:erin@example.com,Pw-12345x,Erin,Smith\n"                // 9
                + "sip:frank@example.com,\"Pw-12345x\n"                        // 10
                + "sip:gina@example.com,Pw\"1234x\n"                           // 11
                + "sip:hal@example.com,Hal-9000-x,\"Hal\tNine\"\n"             // 12
                + "sip:ivan@example.com,Ivan-Pass-1\n"                         // 13
                + "sip:tel@example.com,password\n"                             // 14
                + "tel:+15551234,Fine-Pass-1\n"                                // 15
                + "sip:judy@example.com,Judy-Pass-1,\"Judy\" x\n"              // 16
                + "sip:kim@example.com,").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'K', 'i', 'm', '-', '1', '2', '3', (byte) 0xc3, '\n'}); // 17: bad UTF-8
        bytes.writeBytes(("x".repeat(UserCsv.MAX_LINE_BYTES + 1) + "\n").getBytes(StandardCharsets.UTF_8)); // 18
        Path file = write(bytes.toByteArray());
        String before = fx.snapshot();

        CommandException e = refused(fx.userImport(file.toString()));

        assertEquals("16 problems in " + file + ": nothing imported", e.getMessage());
        assertEquals(List.of(
                "line 3: Invalid SIP URI 'sip:al ice@example.com': must not contain spaces",
                "line 4: Domain example.org is not served (add it with confab:domain-add)",
                "line 5: The password is too short: at least 8 characters are required",
                "line 6: sip:good@example.com is also on line 2",
                "line 7: User sip:existing@example.com already exists (--skip-existing leaves existing users as they are)",
                "line 8: expected sip-uri,password[,display name], found 1 field",
                "line 9: expected sip-uri,password[,display name], found 4 fields (quote a display name or password"
                        + " that contains a comma)",
                "line 10: field 2 opens a quote that is not closed",
                "line 11: field 2 has a quote inside it: quote the whole field and double the quote (\"a\"\"b\")",
                "line 12: Invalid display name 'Hal?Nine': it must not contain control characters",
                "line 13: The password must not contain the user name",
                "line 14: The password must mix at least 3 of: lower-case letters, upper-case letters, digits,"
                        + " other characters",
                "line 15: Invalid SIP URI 'tel:+15551234': must be sip:user@domain",
                "line 16: field 3 has text after its closing quote",
                "line 17: the line is not valid UTF-8",
                "line 18: the line is longer than 4096 bytes"), List.of(fx.output().split("\\R")));
        assertEquals("nothing changed", before, fx.snapshot());
        assertEquals("the store was not asked", List.of(), fx.users.createAllBatches);
    }

    @Test
    public void theListingStopsAtFiftyProblemsAndCountsTheRest() throws Exception {
        StringBuilder sb = new StringBuilder("sip:ok@example.com,Fine-Pass-1\n");
        for (int i = 0; i < 120; i++) {
            sb.append("sip:user").append(i).append("@example.com,weak\n");
        }
        CommandException e = refused(fx.userImport(write(sb.toString()).toString()));
        assertTrue(e.getMessage(), e.getMessage().startsWith("120 problems in "));
        String[] lines = fx.output().split("\\R");
        assertEquals(UserImportCommand.MAX_PROBLEMS_SHOWN + 1, lines.length);
        assertEquals("line 2: The password is too short: at least 8 characters are required", lines[0]);
        assertEquals("line 51: The password is too short: at least 8 characters are required", lines[49]);
        assertEquals("... and 70 more problems", lines[50]);
        assertTrue(fx.users.users.isEmpty());
    }

    @Test
    public void skipExistingLeavesExistingUsersAsTheyAre() throws Exception {
        fx.users.put("sip:alice@example.com", "Old Alice", false, "fe1");
        Path file = write("sip:alice@example.com,Wonder-Land-7,Alice\nsip:bob@example.com,Build-Er-42x,Bob\n");
        UserImportCommand c = fx.userImport(file.toString());
        c.skipExisting = true;
        c.execute();
        User alice = fx.users.find("sip:alice@example.com").orElseThrow();
        assertEquals("Old Alice", alice.displayName());
        assertFalse("a disabled user stays disabled", alice.enabled());
        assertFalse(fx.users.credentials.containsKey("sip:alice@example.com Digest"));
        assertTrue(fx.users.find("sip:bob@example.com").orElseThrow().enabled());
        assertTrue(fx.output(), fx.output().contains("Imported 1 user from " + file));
        assertTrue(fx.output(), fx.output().contains("skipped 1 existing user."));

        // everything there already: a success that imports nothing
        UserImportCommand again = fx.userImport(file.toString());
        again.skipExisting = true;
        again.execute();
        assertTrue(fx.output(), fx.output().contains("Imported 0 users from " + file));
        assertTrue(fx.output(), fx.output().contains("skipped 2 existing users."));
    }

    @Test
    public void aStoreFailureMidwayKeepsCommittedBatchesAndSaysHowToFinish() throws Exception {
        StringBuilder sb = new StringBuilder("# 3,500 users\n");
        for (int i = 0; i < 3500; i++) {
            sb.append("sip:user").append(i).append("@example.com,Pass-word-").append(i).append('\n');
        }
        Path file = write(sb.toString());
        fx.users.failCreateAllAtCall = 3;
        fx.users.failCreateAll = new StoreException("RTC database error at jdbc:derby:data/rtc: connection lost");

        CommandException e = refused(fx.userImport(file.toString()));

        assertEquals("Import stopped in the batch from line 2002 of " + file
                + ": RTC database error at jdbc:derby:data/rtc: connection lost. 2,000 users were imported and stay;"
                + " run confab:user-import --skip-existing " + file + " to import the rest", e.getMessage());
        assertEquals(2000, fx.users.users.size());
        assertTrue(fx.users.find("sip:user1999@example.com").isPresent());
        assertFalse(fx.users.find("sip:user2000@example.com").isPresent());

        fx.users.failCreateAll = null;
        UserImportCommand rerun = fx.userImport(file.toString());
        rerun.skipExisting = true;
        rerun.execute();
        assertEquals(3500, fx.users.users.size());
        assertTrue(fx.output(), fx.output().contains("Imported 1,500 users from " + file));
        assertTrue(fx.output(), fx.output().contains("skipped 2,000 existing users."));
    }

    @Test
    public void missingFileDirectoryAndEmptyFileAreRefused() throws Exception {
        Path missing = tmp.getRoot().toPath().resolve("nobody.csv");
        fx.assertRefused("File " + missing + " does not exist (the server reads it: give a path on the server)",
                fx.userImport(missing.toString()));
        fx.assertRefused(tmp.getRoot().toPath() + " is a directory, not a file", fx.userImport(tmp.getRoot().toString()));
        Path empty = write("");
        fx.assertRefused("No users in " + empty + ": expected lines of sip-uri,password[,display name]",
                fx.userImport(empty.toString()));
        Path comments = write("# nothing but comments\n\n   \n# and blank lines\n");
        fx.assertRefused("No users in " + comments + ": expected lines of sip-uri,password[,display name]",
                fx.userImport(comments.toString()));
        UserImportCommand badPool = fx.userImport(comments.toString());
        badPool.homePool = "pool 1";
        fx.assertRefused("Invalid home pool 'pool 1': it may contain only ASCII letters, digits, hyphens and dots",
                badPool);
    }

    @Test
    public void fieldsAreSplitAsInRfc4180() {
        assertEquals(List.of("a", "b", "c"), UserCsv.fields(" a , b ,c "));
        assertEquals(List.of("a", "Smith, Alice"), UserCsv.fields("a,\"Smith, Alice\""));
        assertEquals(List.of("a", "say \"hi\""), UserCsv.fields("a, \"say \"\"hi\"\"\" "));
        assertEquals(List.of("a", "", ""), UserCsv.fields("a,,"));
        assertEquals(List.of(""), UserCsv.fields(""));
    }

    private CommandException refused(UserImportCommand command) throws Exception {
        try {
            command.execute();
            fail("expected a refusal");
            return null;
        } catch (CommandException e) {
            assertEquals("Error executing command: " + e.getMessage(), e.getNiceHelp());
            assertFalse("one line", e.getMessage().contains("\n"));
            return e;
        }
    }

    private Path write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(byte[] bytes) throws IOException {
        Path p = tmp.newFile().toPath();
        Files.write(p, bytes);
        return p;
    }

    private static String quoted(Path p) {
        return java.util.regex.Pattern.quote(p.toString());
    }
}
