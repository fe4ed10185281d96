package org.confab.admin.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.confab.api.auth.DigestSecrets;
import org.confab.api.store.DomainStore;
import org.confab.api.store.NewUser;
import org.confab.api.store.StoreException;
import org.confab.api.store.UserStore;

/** confab:user-import */
@Service
@Command(scope = "confab", name = "user-import",
        description = "Enables many users at once from a UTF-8 CSV file on the server, one user per line:"
                + " sip-uri,password[,display name]. The whole file is checked first; if any line is bad, every"
                + " problem is listed with its line number and nothing is imported.",
        detailedDescription = "classpath:user-import.txt")
public class UserImportCommand extends ConfabAction {

    /** Users per store transaction: a failure loses at most this much work, and memory stays bounded. */
    static final int BATCH_SIZE = 1000;
    /** Problems printed before the rest are only counted. */
    static final int MAX_PROBLEMS_SHOWN = 50;
    /** A progress line after every this many users, so a long import shows it is alive. */
    static final int PROGRESS_EVERY = 25_000;

    @Reference
    DomainStore domains;

    @Reference
    UserStore users;

    @Argument(index = 0, name = "file", required = true,
            description = "The CSV file, read by the server (a path on the server; a relative path is resolved"
                    + " against the server's working directory).")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--skip-existing",
            description = "Leave users that exist already (enabled or disabled) as they are and import the others,"
                    + " instead of refusing the file. Also finishes an import that stopped midway.")
    boolean skipExisting;

    @Option(name = "--home-pool",
            description = "The server or pool (host name) that homes the new users. Default: this server"
                    + " (system property confab.server.name, else the host name).")
    String homePool;

    /** A line that passed every check: canonical URI, its domain, password and display name. */
    private record Entry(int line, String aor, String domain, String password, String displayName) {
    }

    @Override
    void run() throws CommandException {
        // Everything is checked before the first change, so a refused file leaves the store as it was.
        String pool = homePool == null ? ServerName.local() : SipNames.hostName("home pool", homePool);
        Path path = path(file);
        long start = System.nanoTime();
        List<Entry> entries = new ArrayList<>();
        Problems problems = new Problems();
        int existing = check(path, entries, problems);
        if (problems.count() > 0) {
            problems.print(out);
            throw Refusals.refused(problems.count() + (problems.count() == 1 ? " problem" : " problems") + " in "
                    + path + ": nothing imported");
        }
        if (entries.isEmpty() && existing == 0) {
            throw Refusals.refused("No users in " + path + ": expected lines of sip-uri,password[,display name]");
        }
        int imported = store(path, entries, pool);
        int skipped = existing + entries.size() - imported;
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "Imported %,d %s from %s in %.1f s (%,.0f users/s); skipped %,d existing %s.%n",
                imported, imported == 1 ? "user" : "users", path, seconds, imported / Math.max(seconds, 0.001),
                skipped, skipped == 1 ? "user" : "users");
    }

    /** Reads and checks every line; returns how many users exist already (with --skip-existing). */
    private int check(Path path, List<Entry> entries, Problems problems) throws CommandException {
        Map<String, Boolean> served = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        int existing = 0;
        try (InputStream in = Files.newInputStream(path)) {
            UserCsv csv = new UserCsv(in);
            for (UserCsv.Line line = csv.next(); line != null; line = csv.next()) {
                int n = line.number();
                if (line.problem() != null) {
                    problems.add(n, line.problem());
                    continue;
                }
                List<String> fields = line.fields();
                if (fields.size() < 2 || fields.size() > 3) {
                    problems.add(n, "expected sip-uri,password[,display name], found " + fields.size()
                            + (fields.size() == 1 ? " field" : " fields")
                            + (fields.size() > 3 ? " (quote a display name or password that contains a comma)" : ""));
                    continue;
                }
                String aor;
                String name;
                try {
                    aor = SipNames.userUri(fields.get(0));
                    name = fields.size() == 3 ? SipNames.displayName(fields.get(2)) : "";
                } catch (CommandException e) {
                    problems.add(n, e.getMessage());
                    continue;
                }
                String domain = SipNames.domainOf(aor);
                if (!served.computeIfAbsent(domain, domains::isServed)) {
                    problems.add(n, "Domain " + domain + " is not served (add it with confab:domain-add)");
                    continue;
                }
                Integer first = seen.putIfAbsent(aor, n);
                if (first != null) {
                    problems.add(n, aor + " is also on line " + first);
                    continue;
                }
                Optional<String> weak = PasswordPolicy.problem(fields.get(1), SipNames.userPartOf(aor));
                if (weak.isPresent()) {
                    problems.add(n, weak.get());
                    continue;
                }
                if (users.find(aor).isPresent()) {
                    if (skipExisting) {
                        existing++;
                    } else {
                        problems.add(n, "User " + aor + " already exists (--skip-existing leaves existing users"
                                + " as they are)");
                    }
                    continue;
                }
                entries.add(new Entry(n, aor, domain, fields.get(1), name));
            }
        } catch (NoSuchFileException e) {
            throw Refusals.refused("File " + path + " does not exist (the server reads it: give a path on the server)");
        } catch (AccessDeniedException e) {
            throw Refusals.refused("File " + path + " cannot be read by the server: permission denied");
        } catch (IOException e) {
            throw Refusals.refused("File " + path + " cannot be read: " + e.getMessage());
        }
        return existing;
    }

    /** Stores the entries batch by batch; returns how many users were created. */
    private int store(Path path, List<Entry> entries, String pool) throws CommandException {
        int imported = 0;
        int nextProgress = PROGRESS_EVERY;
        for (int from = 0; from < entries.size(); from += BATCH_SIZE) {
            List<Entry> slice = entries.subList(from, Math.min(entries.size(), from + BATCH_SIZE));
            if (Thread.currentThread().isInterrupted()) {
                throw stopped(path, slice, "interrupted", imported);
            }
            try {
                imported += users.createAll(batch(slice, pool), skipExisting);
            } catch (StoreException e) {
                throw stopped(path, slice, e.getMessage(), imported);
            }
            if (imported >= nextProgress && from + BATCH_SIZE < entries.size()) {
                out.printf(Locale.ROOT, "%,d of %,d users imported...%n", imported, entries.size());
                out.flush();
                nextProgress += PROGRESS_EVERY;
            }
        }
        return imported;
    }

    /** Committed batches stay: the refusal says how far the import got and how to finish it. */
    private CommandException stopped(Path path, List<Entry> slice, String why, int imported) {
        return Refusals.refused("Import stopped in the batch from line " + slice.get(0).line() + " of " + path
                + ": " + why + ". " + String.format(Locale.ROOT, "%,d", imported)
                + (imported == 1 ? " user was" : " users were") + " imported and stay;"
                + " run confab:user-import --skip-existing " + path + " to import the rest");
    }

    private static List<NewUser> batch(List<Entry> slice, String pool) {
        List<NewUser> batch = new ArrayList<>(slice.size());
        for (Entry e : slice) {
            // as confab:user-enable makes them: RFC 7616 §3.4.2 HA1 per realm, the realm being the user's domain
            batch.add(new NewUser(e.aor(), e.displayName(), pool,
                    DigestSecrets.credentials(e.aor(), e.domain(), e.password())));
        }
        return batch;
    }

    /** The file as the server sees it: ~ is the server user's home, like Karaf's file completion. */
    private static Path path(String input) throws CommandException {
        String in = input == null ? "" : input.strip();
        if (in.isEmpty()) {
            throw Refusals.refused("A file is required");
        }
        Path p;
        try {
            if (in.equals("~") || in.startsWith("~/")) {
                p = Paths.get(System.getProperty("user.home"), in.substring(1).replaceFirst("^/", ""));
            } else {
                p = Paths.get(in);
            }
        } catch (RuntimeException e) {
            throw Refusals.refused("Invalid file name '" + SipNames.shown(in) + "': " + e.getMessage());
        }
        p = p.toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            throw Refusals.refused(p + " is a directory, not a file");
        }
        return p;
    }

    /** Problems by line, in file order; only the first {@link #MAX_PROBLEMS_SHOWN} are kept. */
    private static final class Problems {

        private final List<String> shown = new ArrayList<>();
        private int count;

        void add(int line, String problem) {
            count++;
            if (shown.size() < MAX_PROBLEMS_SHOWN) {
                shown.add("line " + line + ": " + Refusals.oneLine(problem));
            }
        }

        int count() {
            return count;
        }

        void print(PrintStream out) {
            shown.forEach(out::println);
            if (count > shown.size()) {
                out.printf(Locale.ROOT, "... and %,d more %s%n", count - shown.size(),
                        count - shown.size() == 1 ? "problem" : "problems");
            }
        }
    }
}
