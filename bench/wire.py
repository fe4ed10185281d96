"""Response times read off the wire: a packet capture of the server's port, timestamped by the kernel.

SIPp times a call with its own clock, read once per turn of its event loop. On this machine that loop
turns every 4 ms (the kernel's tick: HZ=250), so SIPp's response times come in steps of 4 ms, and a
call whose answer waited for SIPp's next turn counts that wait as the server's. A target of 5 ms lies
between two of those steps. The capture timestamps each packet in nanoseconds as it crosses the
loopback interface, so it separates what the server took from what the load generators took:

- wire response time: the authenticated MESSAGE leaving the caller to its 200 OK reaching the
  caller (the callee's turn to answer is inside it, as it is for any proxy);
- server's own time: how long the server held the call's messages, summed: the first MESSAGE until
  its 407 left, the authenticated MESSAGE until it was relayed to the callee, and the callee's 200
  until it was relayed back.

Used the same way for both servers; needs tcpdump (Debian's tcpdump; bench/run.sh installs it).
"""

import os
import re
import shutil
import struct
import subprocess
import time

_CALL_ID = re.compile(rb"\r\n(?:call-id|i)[ \t]*:[ \t]*([^\r\n]+)", re.I)
_CSEQ = re.compile(rb"\r\ncseq[ \t]*:[ \t]*(\d+)[ \t]+([A-Za-z]+)", re.I)


def available():
    return shutil.which("tcpdump") is not None


def start(path, port, log_path):
    """Starts tcpdump on loopback for UDP to and from port; returns once it is capturing."""
    err = open(log_path, "wb")
    p = subprocess.Popen(["tcpdump", "-i", "lo", "-n", "-s", "600", "-B", "16384",
                          "--time-stamp-precision=nano", "-w", path, "udp", "port", str(port)],
                         stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.time() + 5
    while time.time() < deadline and p.poll() is None:
        with open(log_path, "rb") as f:
            if b"listening on" in f.read():
                return p
        time.sleep(0.05)
    return p


def stop(p):
    """Stops tcpdump (SIGINT) so that it writes out what it holds."""
    if p.poll() is None:
        p.send_signal(2)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def packets(path):
    """(time in ns, source port, destination port, payload) of each UDP/IPv4 packet in a pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        end = "<"
    else:
        end = ">"
        magic = struct.unpack(">I", data[:4])[0]
    scale = 1 if magic == 0xa1b23c4d else 1000
    link = struct.unpack(end + "I", data[20:24])[0]
    head = {1: 14, 113: 16, 276: 20, 101: 0}.get(link)
    if head is None:
        raise ValueError(f"{path}: link type {link} not read here")
    rec = struct.Struct(end + "IIII")
    i = 24
    while i + 16 <= len(data):
        sec, frac, incl, _orig = rec.unpack_from(data, i)
        i += 16
        pkt = data[i:i + incl]
        i += incl
        ip = pkt[head:]
        if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        ihl = (ip[0] & 15) * 4
        sport, dport = struct.unpack_from(">HH", ip, ihl)
        yield sec * 1_000_000_000 + frac * scale, sport, dport, ip[ihl + 8:]


def message_timings(path, server_port, callee_port):
    """Per complete MESSAGE call of the (c) scenario (challenge, authenticated MESSAGE, relay, 200):
    lists in ms of the wire response time, the server's own time, and the caller's whole call
    (first MESSAGE to 200, what SIPp's response time measures); and how many calls were seen."""
    calls = {}

    def mark(cid, what, t):
        c = calls.setdefault(cid, {})
        c.setdefault(what, t)             # the first one: a retransmission does not move it

    for t, sport, dport, payload in packets(path):
        m = _CALL_ID.search(payload)
        if not m:
            continue
        cid = m.group(1).strip()
        first = payload[:payload.find(b"\r\n")]
        if dport == server_port and sport != callee_port:
            if first.startswith(b"MESSAGE "):
                cs = _CSEQ.search(payload)
                mark(cid, "req1" if cs and cs.group(1) == b"1" else "req2", t)
        elif sport == server_port and dport == callee_port:
            if first.startswith(b"MESSAGE "):
                mark(cid, "relayed", t)
        elif sport == callee_port and dport == server_port:
            if first.startswith(b"SIP/2.0 200"):
                mark(cid, "callee200", t)
        elif sport == server_port:
            if first.startswith(b"SIP/2.0 407"):
                mark(cid, "challenge", t)
            elif first.startswith(b"SIP/2.0 200"):
                mark(cid, "ok", t)
    wire, own, whole = [], [], []
    need = ("req1", "challenge", "req2", "relayed", "callee200", "ok")
    for c in calls.values():
        if all(k in c for k in need):
            wire.append((c["ok"] - c["req2"]) / 1e6)
            own.append(((c["challenge"] - c["req1"]) + (c["relayed"] - c["req2"]) + (c["ok"] - c["callee200"])) / 1e6)
            whole.append((c["ok"] - c["req1"]) / 1e6)
    return {"wire": sorted(wire), "own": sorted(own), "whole": sorted(whole), "calls": len(calls)}


def pct(values, q):
    if not values:
        return float("inf")
    return values[min(len(values) - 1, int(q * len(values)))]


if __name__ == "__main__":
    import sys
    r = message_timings(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    for k in ("wire", "own", "whole"):
        print(f"{k}: {len(r[k])} of {r['calls']} calls, p50 {pct(r[k], .5):.3f} ms, p99 {pct(r[k], .99):.3f} ms, "
              f"max {r[k][-1] if r[k] else float('nan'):.3f} ms")
