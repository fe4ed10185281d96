package org.confab.sip.transport.internal.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.confab.api.transport.SipApplication;
import org.confab.sip.message.SipParser;
import org.confab.sip.message.SipResponse;
import org.confab.sip.transport.internal.ListenerSpec;
import org.junit.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

/** The DS wrapper driven by hand (no framework): config mapping, whiteboard binding, listeners. */
public class SipTransportComponentTest {

    /** A configuration annotation instance: the given values, else the declared defaults (as DS does). */
    @SuppressWarnings("unchecked")
    static <A> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            Object d = method.getDefaultValue();
            if (d == null) {
                throw new UnsupportedOperationException(method.getName());
            }
            return d;
        });
    }

    private static SipResponse exchange(DatagramSocket socket, InetSocketAddress to, String method, String branch) throws Exception {
        String text = method + " sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort()
                + ";branch=" + branch + "\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n"
                + "Call-ID: " + branch + "\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(data, data.length, to));
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return (SipResponse) SipParser.parse(buf, 0, p.getLength());
    }

    @Test
    public void activatedComponentServesBoundApplicationsAndAnswers503WhenTheyLeave() throws Exception {
        SipTransportComponent component = new SipTransportComponent();
        SipListenerComponent listener = new SipListenerComponent();
        listener.activate(config(ListenerConfiguration.class, Map.of("transport", "UDP", "host", "127.0.0.1", "port", 0)));
        component.bindListener(listener); // bound before activation, as DS may do
        component.activate(config(TransportConfiguration.class, Map.of("app_threads", 2)));
        try {
            InetSocketAddress bound = component.boundAddress(new ListenerSpec("udp", "127.0.0.1", 0));
            assertNotNull(bound);
            SipApplication app = tx -> tx.respond(tx.createResponse(202));
            Map<String, Object> props = new HashMap<>();
            props.put(SipApplication.METHOD_PROPERTY, new String[] {"NOTIFY"});
            props.put("service.id", 42L);
            ComponentServiceObjects<SipApplication> objects = new ComponentServiceObjects<>() {
                @Override
                public SipApplication getService() {
                    return app;
                }

                @Override
                public void ungetService(SipApplication service) {
                }

                @Override
                public ServiceReference<SipApplication> getServiceReference() {
                    return null;
                }
            };
            component.bindApplication(objects, props);
            try (DatagramSocket socket = new DatagramSocket(0, bound.getAddress())) {
                socket.setSoTimeout(5000);
                assertEquals(202, exchange(socket, bound, "NOTIFY", "z9hG4bKcomp1").status());
                component.unbindApplication(objects, props);
                SipResponse r = exchange(socket, bound, "NOTIFY", "z9hG4bKcomp2");
                assertEquals(503, r.status());
                assertEquals("5", r.header("Retry-After"));
            }
            assertEquals("127.0.0.1:" + bound.getPort(), component.localSentBy("UDP"));
            component.unbindListener(listener);
            assertNull(component.boundAddress(new ListenerSpec("udp", "127.0.0.1", 0)));
        } finally {
            component.deactivate();
        }
        try {
            component.localSentBy("UDP");
            fail("inactive component");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("not active"));
        }
    }

    @Test
    public void badListenerConfigurationIsRefused() {
        SipListenerComponent listener = new SipListenerComponent();
        try {
            listener.activate(config(ListenerConfiguration.class, Map.of("transport", "sctp")));
            fail("sctp is not a listener transport");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("sctp"));
        }
    }

    @Test
    public void badTimersAreRefused() {
        try {
            SipTransportComponent.toStackConfig(config(TransportConfiguration.class, Map.of("t1_ms", 5000L, "t2_ms", 4000L)));
            fail("T2 below T1");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("t2.ms"));
        }
    }

    /** The shipped .cfg lists every key of the configuration, commented, at its default. */
    @Test
    public void shippedConfigurationListsEveryKeyAtItsDefault() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/main/cfg/org.confab.sip.transport.cfg"));
        for (Method m : TransportConfiguration.class.getDeclaredMethods()) {
            String key = m.getName().replace('_', '.');
            String expected = "#" + key + " = " + m.getDefaultValue();
            assertTrue("missing: " + expected, lines.contains(expected));
        }
        List<String> udp = Files.readAllLines(Path.of("src/main/cfg/org.confab.sip.transport.listener-udp.cfg"));
        List<String> tcp = Files.readAllLines(Path.of("src/main/cfg/org.confab.sip.transport.listener-tcp.cfg"));
        assertTrue(udp.contains("transport = udp") && udp.contains("port = 5060") && udp.contains("host = 0.0.0.0"));
        assertTrue(tcp.contains("transport = tcp") && tcp.contains("port = 5060") && tcp.contains("host = 0.0.0.0"));
    }
}
