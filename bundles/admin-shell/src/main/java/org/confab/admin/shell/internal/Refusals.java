package org.confab.admin.shell.internal;

import org.apache.karaf.shell.support.CommandException;

/**
 * Builds the exception a command throws when it refuses its input.
 *
 * <p>Karaf's {@code ShellUtil.logException} treats an exception whose simple class name is
 * {@code CommandException} as the operator's mistake: it logs it at DEBUG only (no stack trace in
 * karaf.log) and prints {@code getNiceHelp()} on the console, while the ssh/bin/client session ends
 * with exit status 1. Any other exception is logged at ERROR with its stack trace, which is right for
 * bugs and wrong for a typo. So refusals use Karaf's own class (a subclass would have another simple
 * name) with the help text set to the same one line Karaf prints for other failures.
 */
final class Refusals {

    static final String PREFIX = "Error executing command: ";

    private Refusals() {
    }

    /** A refusal whose message is {@code reason} made one line. */
    static CommandException refused(String reason) {
        String line = oneLine(reason);
        // Karaf's constructor order is (help, message)
        return new CommandException(PREFIX + line, line);
    }

    /** Collapses line breaks and other control characters so a message stays on one line. */
    static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return "The operation failed without a reason";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString().trim().replaceAll(" {2,}", " ");
    }
}
