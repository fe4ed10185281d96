package org.confab.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.confab.sip.message.SipParseException;
import org.confab.sip.message.SipUri;
import org.junit.Before;
import org.junit.Test;

public class SelfTest {

    private final FakeSipClient client = new FakeSipClient();
    private final FakeStores.Domains domains = new FakeStores.Domains();
    private Self self;

    @Before
    public void setUp() {
        client.sentBy.put("TLS", "[::1]:5061");
        client.sentBy.remove("UDP");
        domains.served.add("example.com");
        self = new Self(client, domains);
    }

    private static SipUri uri(String text) throws SipParseException {
        return SipUri.parseSip(text);
    }

    @Test
    public void ourSentByIsUsWithOrWithoutDefaultPort() throws SipParseException {
        assertTrue(self.isSentBy(uri("sip:127.0.0.1:5060;lr")));
        assertTrue(self.isSentBy(uri("sip:127.0.0.1;transport=tcp;lr")));
        assertTrue(self.isSentBy(uri("sips:[::1];lr")));
        assertFalse(self.isSentBy(uri("sip:127.0.0.1:5070;lr")));
    }

    @Test
    public void aServedDomainIsUsOnOurPortsOnly() throws SipParseException {
        assertTrue(self.isUs(uri("sip:example.com;lr")));
        assertTrue(self.isUs(uri("sip:EXAMPLE.com:5060;lr")));
        assertFalse(self.isUs(uri("sip:example.com:6000;lr")));
        assertFalse(self.isUs(uri("sip:other.org;lr")));
    }

    @Test
    public void recordRouteNamesTheInboundTransport() {
        assertEquals("<sip:127.0.0.1:5060;transport=tcp;lr>", self.recordRoute("TCP"));
        assertEquals("<sip:[::1]:5061;transport=tls;lr>", self.recordRoute("TLS"));
        assertNull("no UDP listener", self.recordRoute("UDP"));
    }
}
