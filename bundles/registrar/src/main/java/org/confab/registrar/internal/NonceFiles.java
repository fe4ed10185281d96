package org.confab.registrar.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Digest nonce secret and the nonce-count state in the bundle's data area, which
 * survives {@code bundle:update} (it is removed only when the bundle is uninstalled). Nonces
 * handed out before an update then stay valid after it, and replay protection carries over.
 * The secret is not put in Config Admin: Karaf writes configurations back to {@code etc/}, where
 * a secret would be readable and would trigger a reconfiguration.
 *
 * <p>The state file is deleted as soon as it has been read: after a crash there is none, and the
 * new instance treats every older untracked nonce as forgotten (stale) rather than replayable.
 */
final class NonceFiles {

    private static final Logger LOG = LoggerFactory.getLogger(NonceFiles.class);
    static final String SECRET = "nonce-secret";
    static final String STATE = "nonce-state";
    private static final int SECRET_LEN = 32;

    /** What was restored: the floor to use and the tracked nonces. */
    record State(long floor, List<NonceManager.Tracked> tracked) {
    }

    private NonceFiles() {
    }

    /** Reads the secret, or makes and stores a new one; a dir of null means memory only. */
    static byte[] loadOrCreateSecret(Path dir) {
        if (dir != null) {
            Path f = dir.resolve(SECRET);
            try {
                if (Files.isRegularFile(f)) {
                    byte[] s = Files.readAllBytes(f);
                    if (s.length == SECRET_LEN) {
                        return s;
                    }
                    LOG.warn("Ignoring nonce secret {} of wrong length {}; making a new one", f, s.length);
                }
            } catch (IOException e) {
                LOG.warn("Cannot read nonce secret {}: {}; making a new one", f, e.toString());
            }
        }
        byte[] s = new byte[SECRET_LEN];
        new SecureRandom().nextBytes(s);
        if (dir != null) {
            try {
                writeAtomically(dir, SECRET, s);
            } catch (IOException e) {
                LOG.warn("Cannot store nonce secret in {}: {}; nonces will not survive an update", dir, e.toString());
            }
        }
        return s;
    }

    /** Reads and deletes the saved nonce-count state; without one, the floor is {@code now}. */
    static State takeState(Path dir, long now) {
        if (dir == null) {
            return new State(now, List.of());
        }
        Path f = dir.resolve(STATE);
        if (!Files.isRegularFile(f)) {
            return new State(now, List.of());
        }
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
            Files.delete(f);
            if (lines.isEmpty() || !lines.get(0).startsWith("floor ")) {
                throw new IOException("no floor line");
            }
            long floor = Long.parseLong(lines.get(0).substring(6).trim());
            List<NonceManager.Tracked> tracked = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] p = line.trim().split(" ");
                if (p.length != 3) {
                    throw new IOException("bad line: " + line);
                }
                tracked.add(new NonceManager.Tracked(p[0], Long.parseLong(p[1]), Long.parseLong(p[2])));
            }
            return new State(floor, tracked);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring unreadable nonce state {}: {}", f, e.toString());
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                LOG.debug("Cannot delete {}", f);
            }
            return new State(now, List.of());
        }
    }

    /** Saves the nonce-count state for the next activation. */
    static void saveState(Path dir, long floor, List<NonceManager.Tracked> tracked) {
        if (dir == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(64 + tracked.size() * 80).append("floor ").append(floor).append('\n');
        for (NonceManager.Tracked t : tracked) {
            sb.append(t.nonce()).append(' ').append(t.issuedAt()).append(' ').append(t.lastNc()).append('\n');
        }
        try {
            writeAtomically(dir, STATE, sb.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.warn("Cannot save nonce state in {}: {}; clients will re-authenticate once", dir, e.toString());
        }
    }

    private static void writeAtomically(Path dir, String name, byte[] data) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(name + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(tmp, data);
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
