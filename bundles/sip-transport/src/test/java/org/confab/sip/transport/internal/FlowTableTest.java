package org.confab.sip.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import org.junit.Test;

/** The table of recently seen UDP flows is bounded and its entries expire (a peer cannot grow it forever). */
public class FlowTableTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);

    private final FakeTimer timer = new FakeTimer();
    private final FlowTable table = new FlowTable(timer, 100);

    private static FakeFlow udpFrom(int port) {
        InetSocketAddress remote = new InetSocketAddress("127.0.0.9", port);
        return new FakeFlow(FlowTable.udpFlowId(LOCAL, remote), "UDP", remote);
    }

    @Test
    public void manySourcePortsDoNotGrowTheTableBeyondItsBound() {
        for (int port = 10_000; port < 12_000; port++) {
            table.udpSeen(udpFrom(port));
        }
        assertEquals(100, table.udpFlowCount());
        assertEquals(100, table.flows().size());
    }

    @Test
    public void aRecordedFlowSeenAgainIsRefreshedNotDuplicated() {
        FakeFlow flow = udpFrom(10_000);
        for (int i = 0; i < 50; i++) {
            table.udpSeen(flow);
        }
        assertEquals(1, table.udpFlowCount());
        assertTrue(table.find(flow.id()).isPresent());
    }

    @Test
    public void idleFlowsExpireAndFreeRoomForNewPeers() {
        for (int port = 10_000; port < 10_200; port++) {
            table.udpSeen(udpFrom(port));
        }
        FakeFlow active = udpFrom(10_000);
        timer.advance(60_000);
        table.udpSeen(active);
        timer.advance(1_000);
        table.sweepUdp(30_000);
        assertEquals("only the flow seen within the idle time is left", 1, table.udpFlowCount());
        FakeFlow newcomer = udpFrom(20_000);
        table.udpSeen(newcomer);
        assertEquals(2, table.udpFlowCount());
        assertTrue(table.find(newcomer.id()).isPresent());
    }

    @Test
    public void aFlowLeftOutOfAFullTableIsStillFoundByItsId() {
        FakeNetwork network = new FakeNetwork();
        table.setNetwork(network);
        for (int port = 10_000; port < 10_100; port++) {
            table.udpSeen(udpFrom(port));
        }
        FakeFlow late = udpFrom(30_000);
        table.udpSeen(late);
        assertEquals(100, table.udpFlowCount());
        assertEquals(late.id(), table.find(late.id()).orElseThrow().id());
    }

    @Test
    public void udpFlowIdsFromAListenerPrefixAreTheFullIds() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(java.net.InetAddress.getByName("fe80::1%1"), 5070);
        InetSocketAddress v4 = new InetSocketAddress("192.0.2.7", 5062);
        for (InetSocketAddress local : new InetSocketAddress[] {LOCAL, v6}) {
            for (InetSocketAddress remote : new InetSocketAddress[] {v4, v6, new InetSocketAddress("::1", 9)}) {
                String expected = "udp/" + FlowTable.hostPort(local) + "/" + FlowTable.hostPort(remote);
                assertEquals(expected, FlowTable.udpFlowId(FlowTable.udpFlowIdPrefix(local), remote));
                assertEquals(expected, FlowTable.udpFlowId(local, remote));
            }
        }
        assertEquals("udp/127.0.0.1:5060/[fe80:0:0:0:0:0:0:1]:5070", FlowTable.udpFlowId(LOCAL, v6));
    }
}
