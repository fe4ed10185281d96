package org.confab.admin.shell.internal;

import static org.junit.Assert.assertEquals;

import org.apache.karaf.shell.support.CommandException;
import org.junit.Test;

public class RefusalsTest {

    @Test
    public void refusalCarriesTheLineKarafPrints() {
        CommandException e = Refusals.refused("Unknown user sip:bob@example.com");
        assertEquals("Unknown user sip:bob@example.com", e.getMessage());
        assertEquals("Error executing command: Unknown user sip:bob@example.com", e.getNiceHelp());
        // Karaf's ShellUtil picks the quiet path by this simple name
        assertEquals("CommandException", e.getClass().getSimpleName());
    }

    @Test
    public void messagesAreMadeOneLine() {
        assertEquals("Database down: connection refused", Refusals.oneLine("Database down:\n  connection\trefused\r\n"));
        assertEquals("The operation failed without a reason", Refusals.oneLine(null));
        assertEquals("The operation failed without a reason", Refusals.oneLine(" \n"));
    }
}
