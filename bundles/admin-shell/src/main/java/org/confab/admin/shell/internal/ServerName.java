package org.confab.admin.shell.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** The name of this server, the default home pool of users enabled here. */
final class ServerName {

    /** System property (etc/system.properties or -D) naming this server or its pool. */
    static final String PROPERTY = "confab.server.name";

    private ServerName() {
    }

    /** {@code confab.server.name} when set, else the host name (no reverse DNS lookup), else "localhost". */
    static String local() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured.strip().toLowerCase(Locale.ROOT);
        }
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
