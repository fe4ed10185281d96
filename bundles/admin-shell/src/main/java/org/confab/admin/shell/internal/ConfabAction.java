package org.confab.admin.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;
import org.confab.api.store.StoreException;

/**
 * Base of the confab commands: runs the command and turns what the store refuses (a duplicate,
 * an unknown user, a domain still in use) into the same one-line refusal as bad input.
 */
abstract class ConfabAction implements Action {

    /** Where tables and confirmations go; Karaf routes System.out to the calling session. */
    PrintStream out = System.out;

    @Override
    public final Object execute() throws Exception {
        try {
            run();
            return null;
        } catch (StoreException e) {
            // StoreException messages are written for operators (see org.confab.api.store)
            throw Refusals.refused(e.getMessage());
        }
    }

    /** Does the work; refuses bad input with {@link Refusals#refused} before changing anything. */
    abstract void run() throws CommandException;
}
