package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;

import java.net.InetSocketAddress;

import org.confab.sip.message.SipResponse;
import org.junit.Test;

/** The textual shortcut for responses that go back to the request's source agrees with responseTarget. */
public class OutboundTest {

    private static SipResponse responseWithVia(String via) {
        return Messages.parseResponse("SIP/2.0 200 OK\r\nVia: " + via + "\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b1\r\n"
                + "Call-ID: c1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    public void goesToSourceOnlyWhenResponseTargetIsTheSource() throws Exception {
        InetSocketAddress source = new InetSocketAddress("192.0.2.10", 5062);
        FakeFlow flow = new FakeFlow("u", "UDP", source);
        FakeFlow flow5060 = new FakeFlow("u", "UDP", new InetSocketAddress("192.0.2.10", 5060));
        FakeFlow v6 = new FakeFlow("u", "UDP", new InetSocketAddress("2001:db8::10", 5062));
        String[] vias = {
            "SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.010:5062;branch=z9hG4bK1",
            "SIP/2.0/UDP client.example.com:5062;branch=z9hG4bK1;received=192.0.2.10",
            "SIP/2.0/UDP client.example.com;branch=z9hG4bK1;received=192.0.2.10;rport=5062",
            "SIP/2.0/UDP 192.0.2.99:5062;branch=z9hG4bK1;received=192.0.2.10;rport=5070",
            "SIP/2.0/UDP 192.0.2.11:5062;branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK1;received=192.0.2.11",
            "SIP/2.0/UDP [2001:db8::10]:5062;branch=z9hG4bK1",
        };
        for (String via : vias) {
            SipResponse r = responseWithVia(via);
            for (FakeFlow f : new FakeFlow[] {flow, flow5060, v6}) {
                // not taken for IPv6 or a sent-by not in canonical form: those still go the long way
                boolean expected = f.remoteAddress().getAddress() instanceof java.net.Inet4Address
                        && !via.contains("192.0.2.010") && Outbound.responseTarget(r, "UDP").equals(f.remoteAddress());
                assertEquals(via + " from " + f.remoteAddress(), expected, Outbound.goesToSource(r, f));
            }
        }
    }
}
