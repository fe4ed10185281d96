package org.confab.itests;

import java.io.File;
import org.junit.Assume;

/** Finds the external tools system tests use; absent tools skip the test, except under CI. */
final class SystemTools {

    private SystemTools() {
    }

    /** The tool's path; skips the test (prints why) or, with CI=true, fails it when absent. */
    static String require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        String reason = tool + " is not installed (Debian package " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true and " + reason + ": a skipped system test is a failure");
        }
        System.out.println("SKIPPED: " + reason);
        Assume.assumeTrue(reason, false);
        return null;
    }
}
