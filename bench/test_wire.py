"""Tests of bench/wire.py on captures written here, byte for byte as tcpdump writes them."""

import os
import struct
import tempfile
import unittest

import wire

SERVER, CALLER, CALLEE = 5060, 5061, 15090


def sip(first, call_id, cseq):
    return (f"{first}\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\nCall-ID: {call_id}\r\n"
            f"CSeq: {cseq}\r\nContent-Length: 0\r\n\r\n").encode()


def udp_frame(sport, dport, payload):
    """Ethernet (as tcpdump -i lo writes it) + IPv4 + UDP."""
    eth = b"\x00" * 12 + b"\x08\x00"
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp) + len(payload), 0, 0, 64, 17, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    return eth + ip + udp + payload


def write_pcap(path, packets, nano=True, endian="<"):
    """packets: (time in ns, sport, dport, payload)."""
    magic = 0xa1b23c4d if nano else 0xa1b2c3d4
    with open(path, "wb") as f:
        f.write(struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, 65535, 1))
        for t, sport, dport, payload in packets:
            frame = udp_frame(sport, dport, payload)
            frac = t % 1_000_000_000 if nano else (t % 1_000_000_000) // 1000
            f.write(struct.pack(endian + "IIII", t // 1_000_000_000, frac, len(frame), len(frame)))
            f.write(frame)


def call(cid, t0, retransmit_req2=False):
    """One (c) call: MESSAGE → 407, MESSAGE → relayed → callee's 200 → 200, at known times (ns)."""
    ms = 1_000_000
    p = [
        (t0, CALLER, SERVER, sip("MESSAGE sip:callee@example.com SIP/2.0", cid, "1 MESSAGE")),
        (t0 + 1 * ms, SERVER, CALLER, sip("SIP/2.0 407 Proxy Authentication Required", cid, "1 MESSAGE")),
        (t0 + 3 * ms, CALLER, SERVER, sip("MESSAGE sip:callee@example.com SIP/2.0", cid, "2 MESSAGE")),
        (t0 + 5 * ms, SERVER, CALLEE, sip("MESSAGE sip:callee@127.0.0.1:15090 SIP/2.0", cid, "2 MESSAGE")),
        (t0 + 6 * ms, CALLEE, SERVER, sip("SIP/2.0 200 OK", cid, "2 MESSAGE")),
        (t0 + 8 * ms, SERVER, CALLER, sip("SIP/2.0 200 OK", cid, "2 MESSAGE")),
    ]
    if retransmit_req2:  # a retransmission later does not move the call's times
        p.insert(4, (t0 + 5 * ms + 500, CALLER, SERVER, sip("MESSAGE sip:callee@example.com SIP/2.0", cid, "2 MESSAGE")))
    return p


class WireTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "c.pcap")

    def tearDown(self):
        if os.path.exists(self.path):
            os.remove(self.path)
        os.rmdir(self.dir)

    def test_a_complete_call_is_timed_from_its_packets(self):
        # wire = 200 out (8 ms) - MESSAGE in (3 ms); own = (1-0) + (5-3) + (8-6) ms; whole = 8 ms
        write_pcap(self.path, call("a@x", 1_000_000_000, retransmit_req2=True))
        r = wire.message_timings(self.path, SERVER, CALLEE)
        self.assertEqual(1, r["calls"])
        self.assertAlmostEqual(5.0, r["wire"][0], places=6)
        self.assertAlmostEqual(5.0, r["own"][0], places=6)
        self.assertAlmostEqual(8.0, r["whole"][0], places=6)

    def test_an_incomplete_call_is_counted_but_not_timed(self):
        partial = call("b@x", 2_000_000_000)[:4]        # relayed, never answered
        write_pcap(self.path, call("a@x", 1_000_000_000) + partial)
        r = wire.message_timings(self.path, SERVER, CALLEE)
        self.assertEqual(2, r["calls"])
        self.assertEqual(1, len(r["wire"]))

    def test_microsecond_and_big_endian_captures_read_alike(self):
        write_pcap(self.path, call("a@x", 1_000_000_000), nano=False, endian=">")
        r = wire.message_timings(self.path, SERVER, CALLEE)
        self.assertAlmostEqual(5.0, r["wire"][0], places=3)

    def test_an_unknown_link_type_is_refused_by_name(self):
        with open(self.path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b23c4d, 2, 4, 0, 0, 65535, 105))
        with self.assertRaisesRegex(ValueError, "link type 105"):
            list(wire.packets(self.path))

    def test_percentiles(self):
        v = sorted(float(i) for i in range(1, 101))
        self.assertEqual(51.0, wire.pct(v, 0.5))
        self.assertEqual(100.0, wire.pct(v, 0.99))
        self.assertEqual(float("inf"), wire.pct([], 0.99))


if __name__ == "__main__":
    unittest.main()
