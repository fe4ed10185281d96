package org.confab.itests;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;

/**
 * Boots the assembled Confab distribution (karaf-dist) in Pax Exam, one container per test class,
 * with SIP on a free port so tests never meet a server already running on 5060.
 */
public abstract class ConfabPaxExamSupport {

    /** System property (inside the container) holding the SIP port of both listeners. */
    protected static final String SIP_PORT_PROPERTY = "confab.test.sip.port";

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    /** Every test here takes well under a minute; one still running after five is stuck. */
    @org.junit.Rule
    public final HangWatchdog watchdog = new HangWatchdog(5, java.util.concurrent.TimeUnit.MINUTES);

    /** The options every Confab Pax Exam test starts from. */
    protected Option[] confabDistribution() {
        String dist = System.getProperty("confab.dist");
        if (dist == null || !new File(dist).isFile()) {
            throw new IllegalStateException("Distribution not built: " + dist + " (run mvn install from the root)");
        }
        String sipPort = Integer.toString(freePort());
        return new Option[] {
            karafDistributionConfiguration()
                .frameworkUrl(new File(dist).toURI().toString())
                .karafVersion(System.getProperty("karaf.version"))
                .name("Confab")
                .unpackDirectory(new File(System.getProperty("project.build.directory", "target"), "exam"))
                .useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.INFO),
            editConfigurationFilePut("etc/org.confab.sip.transport.listener-udp.cfg", "port", sipPort),
            editConfigurationFilePut("etc/org.confab.sip.transport.listener-tcp.cfg", "port", sipPort),
            editConfigurationFilePut("etc/org.confab.sip.transport.listener-udp.cfg", "host", "127.0.0.1"),
            editConfigurationFilePut("etc/org.confab.sip.transport.listener-tcp.cfg", "host", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/system.properties", SIP_PORT_PROPERTY, sipPort),
        };
    }

    /**
     * Waits until the roles are up: the confab commands answer and REGISTER and MESSAGE have
     * their SIP applications (the container boots features asynchronously of the probe).
     */
    @org.junit.Before
    public void awaitConfabReady() throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                boolean apps = bundleContext.getServiceReferences(org.confab.api.transport.SipApplication.class,
                        "(confab.sip.method=REGISTER)").size() == 1
                        && bundleContext.getServiceReferences(org.confab.api.transport.SipApplication.class,
                        "(confab.sip.method=MESSAGE)").size() == 1;
                execute("confab:domain-list");
                if (apps) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Confab roles did not come up within 90 s", last);
    }

    protected static int sipPort() {
        return Integer.getInteger(SIP_PORT_PROPERTY);
    }

    private static int freePort() {
        return ConfabServer.freePort();
    }

    /**
     * Runs a shell command as an administrator at the console would (Karaf hides secured commands
     * such as bundle:update from a session without a subject); returns its output, throws if it failed.
     */
    protected String execute(String command) throws Exception {
        Subject admin = new Subject();
        admin.getPrincipals().add(new UserPrincipal("admin"));
        for (String role : new String[] {"admin", "manager", "viewer", "systembundles"}) {
            admin.getPrincipals().add(new RolePrincipal(role)); // Karaf's admingroup
        }
        try {
            return Subject.doAs(admin, (PrivilegedExceptionAction<String>) () -> executeAsIs(command));
        } catch (PrivilegedActionException e) {
            throw e.getException();
        }
    }

    private String executeAsIs(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, ps, ps);
        try {
            Object result = session.execute(command);
            if (result != null) {
                ps.println(result);
            }
        } finally {
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs a command that must fail; returns the failure message. */
    protected String executeFailing(String command) {
        try {
            String out = execute(command);
            throw new AssertionError("Command succeeded but should have failed: " + command + "\n" + out);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
    }
}
