#!/usr/bin/env python3
"""Confab against Kamailio on one machine, one server at a time, everything on 127.0.0.1.

Started by bench/run.sh (which installs the tools and builds the distribution). Kamailio runs
first with the shared configuration ../shared/bench/kamailio/kamailio.cfg, unchanged, in its
authenticating presence variant (-A WITH_AUTH -A WITH_PRESENCE); then Confab (the assembled
distribution, Standard profile). The same SIPp scenarios run against each; one table compares
them. Every SIPp run is bounded (-m, -timeout); every process started here is stopped by PID.
"""

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

import wire

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
SHARED = os.path.join(os.path.dirname(REPO), "shared")
KAM_CFG = os.path.join(SHARED, "bench", "kamailio", "kamailio.cfg")
WORK = os.path.join(BENCH, "work")
SCEN = os.path.join(BENCH, "scenarios")
DIST = os.path.join(REPO, "karaf-dist", "target", "confab-dist-0.1.0-SNAPSHOT.tar.gz")
DOMAIN = "example.com"
PASSWORD = "Bench-Pass-2026x"
CALLEE = "callee"
CALLEE_PORT = 15090      # the (c) callee, a SIPp UAS
HOST = "127.0.0.1"
KAM_PORT = 5060          # fixed by the shared kamailio.cfg
CONFAB_PORT = 5060       # the same port; run.sh runs the benchmark in its own network namespace
CONFAB_SSH = 8111
ADMIN_PW = "Bench-Admin-Pw-7"
CLK = os.sysconf("SC_CLK_TCK")
JFR = False              # --jfr: record a Java Flight Recording of Confab
STARTED = []             # Popen objects started here, stopped at exit

MODES = {
    # steps: seconds per rate step; users: users provisioned and cycled by the rate tests;
    # endpoints: (f) bindings registered over UDP; runs: repetitions of each ladder.
    "quick": dict(runs=1, step=2, fixed=3, settle=6, users=500, endpoints=2000, reg_rate=1000, tcp_endpoints=2000, tcp_warm=500, warm=(500, 6),
                  ladder=[100, 200, 400, 700, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000, 15000, 20000, 22500, 25000, 27500, 30000, 35000]),
    "full": dict(runs=3, step=5, fixed=10, settle=20, users=10000, endpoints=125000, reg_rate=2000, tcp_endpoints=None, tcp_warm=2000, warm=(1000, 20),
                 ladder=[100, 200, 300, 400, 500, 700, 850, 1000, 1250, 1500, 1750, 2000, 2500, 3000,
                         3500, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 15000, 17500, 20000, 22500, 25000, 27500, 30000, 35000]),
}


def log(*a):
    print("[bench]", *a, flush=True)


# ---------------------------------------------------------------- processes and /proc

def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    s = f.read()
                ppid = int(s[s.rindex(")") + 2:].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError):
                pass
    return kids


def tree(pid):
    kids, out, todo = children_map(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def cpu_seconds(pid):
    """utime + stime of the process tree, in seconds."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                s = f.read()
            fields = s[s.rindex(")") + 2:].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError):
            pass
    return total / CLK


def kernel_cpu_seconds(prefix):
    """CPU seconds of the kernel threads whose name starts with prefix (kdamond: the VM's memory
    monitor, which takes a core for 3-14 ms about every 0.5 s here; the fixed-rate runs log it)."""
    total = 0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/comm") as f:
                    if not f.read().startswith(prefix):
                        continue
                with open(f"/proc/{d}/stat") as f:
                    st = f.read()
                fields = st[st.rindex(")") + 2:].split()
                total += int(fields[11]) + int(fields[12])
            except (OSError, ValueError):
                pass
    return total / CLK


def cpu_times():
    """The machine's CPU time so far, from /proc/stat's first line: (steal ticks, all ticks)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice)
    return fields[7], sum(fields[:8])


STEAL_MAX = 0.05         # a fixed-rate run during which the host took more of the CPU than this is run again
STEAL_TRIES = 3          # at most this many attempts per run; the last one stands, whatever its steal


def steal_share(before, after):
    """The share of the machine's CPU time the hypervisor gave to others (steal) between two cpu_times()."""
    ticks = after[1] - before[1]
    return (after[0] - before[0]) / ticks if ticks > 0 else 0.0


def run_again(steal, attempt):
    """Whether a fixed-rate run is repeated: its steal was above STEAL_MAX and tries are left. On this
    VM the steal of a 3 s run went from 0 to 40 % of the CPU time within minutes (a neighbour's load):
    during such a run the server's single busiest thread was simply not running, and its p99 measured
    the host (2026-12-03: 2.8-4.3 ms at 0.4-3.5 % steal, 45-88 ms at 42-44 %, the same build and load)."""
    return steal > STEAL_MAX and attempt < STEAL_TRIES


def wait_idle(pid, limit_s=60, busy_s=0.05, period_s=1.0):
    """Waits until the server's process tree uses under busy_s CPU seconds per period_s twice in a
    row (bounded by limit_s): a memory baseline is taken from a server at rest, not one still
    loading its directory in the background (Confab) or forking its children (Kamailio).
    Returns the seconds waited."""
    t0 = time.time()
    quiet = 0
    last = cpu_seconds(pid)
    while time.time() - t0 < limit_s and quiet < 2:
        time.sleep(period_s)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - last < busy_s else 0
        last = now
    return time.time() - t0


def memory_kib(pid):
    """(RSS, PSS) of the process tree in KiB. PSS shares Kamailio's shared memory among its children."""
    rss = pss = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def stop(proc, grace=30):
    """Stops one process started here and its children, by PID: SIGTERM, then SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    pids = tree(proc.pid)
    for p in pids:
        try:
            os.kill(p, signal.SIGTERM)
        except OSError:
            pass
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        pass
    for p in tree(proc.pid) if proc.poll() is None else []:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    # bin/karaf exits at once on SIGTERM while the JVM still shuts down (final NOTIFYs, the last
    # group commit): each process of the tree gets the whole grace before SIGKILL, not 5 s
    for p in pids:
        deadline = time.time() + grace + 5
        while os.path.exists(f"/proc/{p}") and time.time() < deadline:
            try:
                with open(f"/proc/{p}/stat") as f:
                    if f.read().split(") ")[1].startswith("Z"):
                        break
            except OSError:
                break
            time.sleep(0.1)
            if time.time() > deadline - 5:
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass


def stop_all(*_):
    for p in reversed(STARTED):
        stop(p, grace=20)
    STARTED.clear()


def spawn(cmd, cwd, out, env=None):
    p = subprocess.Popen(cmd, cwd=cwd, stdout=open(out, "ab"), stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, env=env)
    STARTED.append(p)
    return p


def port_free(port):
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        finally:
            s.close()
    return True


# ---------------------------------------------------------------- raw SIP (probe, start time)

def sip_request(method, user, port, lport, branch, cseq, extra=""):
    return (f"{method} sip:{DOMAIN if method == 'REGISTER' else user + '@' + DOMAIN} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {HOST}:{lport};rport;branch=z9hG4bK{branch}\r\n"
            f"From: <sip:{user}@{DOMAIN}>;tag=b{branch}\r\nTo: <sip:{user}@{DOMAIN}>\r\n"
            f"Call-ID: bench-{branch}\r\nCSeq: {cseq} {method}\r\nMax-Forwards: 70\r\n"
            f"Contact: <sip:{user}@{HOST}:{lport}>\r\nExpires: 3600\r\n{extra}"
            f"Content-Length: 0\r\n\r\n").encode()


def status_of(data):
    m = re.match(rb"SIP/2.0 (\d{3})", data)
    return int(m.group(1)) if m else 0


def probe(method, port, user="u1"):
    """Status code the server answers to an unauthenticated request (0 when it does not answer)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, 0))
    s.settimeout(2)
    extra = "Event: presence\r\n" if method in ("PUBLISH", "SUBSCRIBE") else ""
    try:
        for i in range(3):
            s.sendto(sip_request(method, user, port, s.getsockname()[1], f"probe{time.time_ns()}", 1, extra),
                     (HOST, port))
            try:
                while True:
                    st = status_of(s.recv(65535))
                    if st >= 200:
                        return st
            except socket.timeout:
                continue
        return 0
    finally:
        s.close()


def register_digest_once(port, user, password, sock, deadline):
    """One REGISTER with MD5 digest over UDP; True on 200. Retries every 100 ms until deadline."""
    lport = sock.getsockname()[1]
    branch = f"g{time.time_ns()}"
    cseq = 1
    auth = ""
    while time.time() < deadline:
        sock.sendto(sip_request("REGISTER", user, port, lport, f"{branch}{cseq}", cseq, auth), (HOST, port))
        try:
            data = sock.recv(65535)
        except socket.timeout:
            continue
        st = status_of(data)
        if st == 200:
            return True
        if st == 401 and not auth:
            text = data.decode("utf-8", "replace")
            ch = re.search(r"WWW-Authenticate:\s*Digest\s+(.*)", text, re.I).group(1)
            realm = re.search(r'realm="([^"]*)"', ch).group(1)
            nonce = re.search(r'nonce="([^"]*)"', ch).group(1)
            qop = "auth" if re.search(r'qop="?[^"]*auth', ch) else None
            opaque = re.search(r'opaque="([^"]*)"', ch)
            uri = f"sip:{DOMAIN}"
            ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
            ha2 = hashlib.md5(f"REGISTER:{uri}".encode()).hexdigest()
            if qop:
                cn = "0a4f113b"
                resp = hashlib.md5(f"{ha1}:{nonce}:00000001:{cn}:auth:{ha2}".encode()).hexdigest()
                q = f', qop=auth, nc=00000001, cnonce="{cn}"'
            else:
                resp = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
                q = ""
            auth = (f'Authorization: Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
                    f'response="{resp}", algorithm=MD5{q}' + (f', opaque="{opaque.group(1)}"' if opaque else "") + "\r\n")
            cseq += 1
            continue
        if st >= 300:
            # e.g. 503 while the roles start: start over after a pause
            auth, cseq = "", cseq + 1
            time.sleep(0.1)
    return False


def time_to_first_register(port, t0, limit=180):
    """(g) seconds from t0 (the server process spawned) to the first 200 OK to a digest REGISTER."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, 0))
    s.settimeout(0.1)
    try:
        if register_digest_once(port, "u1", PASSWORD, s, t0 + limit):
            return time.time() - t0
        return None
    finally:
        s.close()


# ---------------------------------------------------------------- servers

class Kamailio:
    name = "Kamailio"
    port = KAM_PORT

    def __init__(self, users):
        self.dir = os.path.join(WORK, "kamailio")
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)
        db = os.path.join(self.dir, "dbtext")
        os.makedirs(db)
        os.makedirs(os.path.join(self.dir, "run"))
        src = "/usr/share/kamailio/dbtext/kamailio"
        for t in ("version", "presentity", "active_watchers", "watchers", "xcap"):
            shutil.copy(os.path.join(src, t), db)
        with open(os.path.join(db, "creds"), "w") as f:
            f.write("id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int)\n")
            for i, u in enumerate(users, 1):
                f.write(f"{i}:{u}:0:0:{PASSWORD}:0\n")
        self.db = db

    def start(self):
        if not port_free(self.port):
            sys.exit(f"bench: 127.0.0.1:{self.port} is taken; Kamailio's shared config needs it")
        cmd = ["kamailio", "-f", KAM_CFG, "-DD", "-E", "-m", "1024", "-M", "32",
               "-A", "WITH_AUTH", "-A", "WITH_PRESENCE",
               "-A", f'DBURL="text://{self.db}"',
               "-A", f'CTLSOCK="unix:{os.path.join(self.dir, "run", "kamailio_ctl")}"']
        t0 = time.time()
        self.proc = spawn(cmd, self.dir, os.path.join(self.dir, "kamailio.log"))
        return t0

    def stop(self):
        stop(self.proc)
        if self.proc in STARTED:
            STARTED.remove(self.proc)


class Confab:
    name = "Confab"
    port = CONFAB_PORT

    def __init__(self, users):
        self.home = os.path.join(WORK, "confab")
        self.proc = None
        shutil.rmtree(self.home, ignore_errors=True)
        os.makedirs(self.home)
        subprocess.run(["tar", "-xzf", DIST, "-C", self.home, "--strip-components=1"], check=True, timeout=300)
        etc = os.path.join(self.home, "etc")
        for t in ("udp", "tcp"):
            self._set(os.path.join(etc, f"org.confab.sip.transport.listener-{t}.cfg"),
                      {"port": str(self.port), "host": HOST})
        self._set(os.path.join(etc, "org.apache.karaf.shell.cfg"), {"sshPort": str(CONFAB_SSH)})
        # SIPp 3.6 knows only MD5 and reads only the first challenge: offer MD5 alone.
        self._set(os.path.join(etc, "org.confab.registrar.cfg"), {"digest.algorithms": "MD5"})
        # (f) over TCP opens 4,000 connections from each loopback source address; Confab's per-source
        # limit (100, a flood defence; Kamailio has none) would refuse them
        self._set(os.path.join(etc, "org.confab.sip.transport.cfg"), {"max.connections.per.source": "5000"})
        with open(os.path.join(etc, "users.properties"), "a") as f:
            f.write(f"\nadmin = {ADMIN_PW},_g_:admingroup\n")
        with open(os.path.join(etc, "admin.password"), "w") as f:
            f.write(ADMIN_PW + "\n")
        self.users = users

    @staticmethod
    def _set(path, kv):
        text = open(path).read() if os.path.exists(path) else ""
        for k, v in kv.items():
            pat = re.compile(r"(?m)^#?\s*" + re.escape(k) + r"\s*=.*$")
            line = f"{k} = {v}"
            text = pat.sub(lambda _m: line, text, count=1) if pat.search(text) else text + f"\n{line}\n"
        open(path, "w").write(text)

    def start(self):
        if not port_free(self.port):
            sys.exit(f"bench: 127.0.0.1:{self.port} is taken")
        # Karaf 4.4's scripts ignore JAVA_MAX_MEM: the heap bound (issue 3: 125,000 users in <= 2 GiB) goes in
        # EXTRA_JAVA_OPTS, which bin/karaf appends to the JVM's options
        env = dict(os.environ)
        env["EXTRA_JAVA_OPTS"] = (env.get("EXTRA_JAVA_OPTS", "") + " -Xmx2g -Xms512m").strip()
        if JFR:
            # profile of the whole Confab run, written when it stops (jfr print --events jdk.ExecutionSample)
            env["EXTRA_JAVA_OPTS"] = (env.get("EXTRA_JAVA_OPTS", "") + " -XX:StartFlightRecording=settings=profile,"
                                      f"dumponexit=true,filename={os.path.join(WORK, 'confab.jfr')}").strip()
        if "JAVA_HOME" not in env:
            env["JAVA_HOME"] = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
        t0 = time.time()
        self.proc = spawn([os.path.join(self.home, "bin", "karaf"), "server"], self.home,
                          os.path.join(self.home, "console.log"), env)
        return t0

    def client(self, script, timeout):
        cmd = [os.path.join(self.home, "bin", "client"), "-h", HOST, "-a", str(CONFAB_SSH), "-u", "admin",
               "-p", ADMIN_PW, "-r", "30", "-d", "2", "-b"]
        env = dict(os.environ)
        if "JAVA_HOME" not in env:
            env["JAVA_HOME"] = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
        r = subprocess.run(cmd, input=script.encode(), capture_output=True, timeout=timeout, env=env)
        return r.returncode, r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")

    def provision(self):
        deadline = time.time() + 180
        while time.time() < deadline:
            rc, out = self.client("confab:domain-list\n", 60)
            if rc == 0:
                break
            time.sleep(1)
        else:
            sys.exit("bench: Confab's shell did not answer within 180 s; see " + self.home + "/data/log/karaf.log")
        rc, out = self.client(f"confab:domain-add {DOMAIN}\n", 60)
        if rc != 0:
            log(f"Confab domain-add exited {rc}: {out[-500:]}")
        # one bulk import instead of a shell command per user (user-enable: ~83 users/s, 25 min for 125,000);
        # the server reads the file, so it goes in the server's directory
        csv = os.path.join(self.home, "users.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("# sip-uri,password\n")
            f.writelines(f"sip:{u}@{DOMAIN},{PASSWORD}\n" for u in self.users)
        t = time.time()
        rc, out = self.client(f"confab:user-import {csv}\n", 3600)
        if rc != 0:
            log(f"Confab user-import exited {rc}: {out[-2000:]}")
        summary = out.strip().splitlines()[-1] if out.strip() else ""
        log(f"Confab: {len(self.users)} users provisioned in {time.time() - t:.1f} s: {summary}")

    def stop(self):
        stop(self.proc, grace=60)
        if self.proc in STARTED:
            STARTED.remove(self.proc)


# ---------------------------------------------------------------- SIPp

class SippResult:
    def __init__(self, calls, ok, rtts, elapsed, sipp_cpu=0.0, sipps=1):
        self.calls, self.ok, self.rtts, self.elapsed = calls, ok, sorted(rtts), elapsed
        self.sipp_cpu = sipp_cpu    # CPU seconds of each SIPp process: near elapsed, SIPp is the limit
        self.sipps = sipps          # SIPp processes that shared the step

    @property
    def failed_ratio(self):
        return (self.calls - self.ok) / self.calls if self.calls else 1.0

    def pct(self, q):
        if not self.rtts:
            return float("inf")
        return self.rtts[min(len(self.rtts) - 1, int(q * len(self.rtts)))]

    @property
    def rate(self):
        return self.ok / self.elapsed if self.elapsed > 0 else 0.0


# SIPp's own socket buffers (-buff_size; its default is 64 KB): with 64 KB SIPp's socket, not the
# server's, overflowed at 8,000 calls/s whenever replies came in a burst (after a collector pause), and
# the lost replies came back as 500 ms retransmissions (/proc/net/udp drops on SIPp's port). The same
# for both servers; the kernel caps it at net.core.rmem_max.
SIPP_BUFFER = 4 * 1024 * 1024


# One SIPp process sends up to this many calls/s; a faster step is split between several processes,
# each with its share of the rate, the calls and the users (on TCP each opens its own connection). One
# SIPp alone reached 95-99 % of a core at 30,000 REGISTER calls/s over TCP against either server
# (2026-12-03), so past this rate a single SIPp, not the server, would set the maximum.
SIPP_RATE_PER_PROCESS = 12500


def sipp_processes(rate):
    return max(1, -(-rate // SIPP_RATE_PER_PROCESS))


def shares(total, n):
    """total split into n whole shares that differ by at most one and add up to total."""
    return [total // n + (1 if i < total % n else 0) for i in range(n)]


def inf_slice(inf, i, n):
    """Every n-th user of an injection file, from the i-th: the share of one of n SIPp processes."""
    if n == 1:
        return inf
    path = f"{inf}.{i + 1}of{n}"
    if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(inf):
        lines = open(inf).read().splitlines()
        with open(path, "w") as f:
            f.write("\n".join([lines[0]] + lines[1:][i::n]) + "\n")
    return path


# Local ports of the SIPp processes that share a step: the k-th its own, 15200 + k (in the benchmark's own
# network namespace nothing else binds them). Left to itself, each SIPp probes for the first free port
# from 5061, and two started together over TCP both picked 5061: the second could not listen ("errno =
# 98"), sent nothing, and the step failed with exactly half its calls (2026-12-03). The same ports at every
# step: the port is in each user's Contact, and a new port per step made a new binding per step, until the
# registrar's max.endpoints.per.user (10) answered 403 (bindings outlive the server's restarts).
SIPP_PORTS = range(15200, 15264)


def sipp_ports(n, lport=0):
    """Local ports for n SIPp processes: the caller's (0: SIPp chooses) for one, 15200 + k for the k-th of
    several."""
    if n == 1:
        return [lport]
    if n > len(SIPP_PORTS):
        raise ValueError(f"{n} SIPp processes: at most {len(SIPP_PORTS)}")
    return list(SIPP_PORTS[:n])


def run_sipp(port, scenario, transport, rate, calls, inf, tag, timeout, lport=0, extra=()):
    n = 1 if lport else sipp_processes(rate)
    ports = sipp_ports(n, lport)
    d = os.path.join(WORK, "sipp", tag)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    t0 = time.time()
    u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    procs = []
    for i in range(n):
        sub = os.path.join(d, f"p{i + 1}") if n > 1 else d
        os.makedirs(sub, exist_ok=True)
        share, count = shares(rate, n)[i], shares(calls, n)[i]
        cmd = ["sipp", f"{HOST}:{port}", "-sf", os.path.join(SCEN, scenario), "-t", transport, "-i", HOST,
               "-p", str(ports[i]), "-inf", inf_slice(inf, i, n), "-set", "domain", DOMAIN, "-r", str(share),
               "-m", str(count), "-l", str(max(100, share * 4)), "-nostdin", "-timeout", f"{timeout}s",
               "-trace_rtt", "-rtt_freq", "1", "-trace_stat", "-stf", os.path.join(sub, "stat.csv"), "-fd", "1",
               "-max_socket", "2000", "-buff_size", str(SIPP_BUFFER), *extra]
        procs.append((sub, spawn(cmd, sub, os.path.join(sub, "sipp.out"))))
    for _sub, p in procs:
        try:
            p.wait(max(1, timeout + 20 - (time.time() - t0)))
        except subprocess.TimeoutExpired:
            stop(p)
        if p in STARTED:
            STARTED.remove(p)
    u1 = resource.getrusage(resource.RUSAGE_CHILDREN)   # the only children reaped meanwhile: these SIPps
    sipp_cpu = ((u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime)) / n   # per process
    wall = time.time() - t0
    ok, rtts, elapsed = 0, [], 0.0
    for sub, _p in procs:
        try:
            out = open(os.path.join(sub, "sipp.out"), errors="replace").read()
        except OSError:
            out = ""
        if "Unable to" in out:   # SIPp's own start failed (a socket): the load generator's fault, not the server's
            log(f"{tag}: a SIPp process could not start its sockets, see {sub}/sipp.out")
        stat = os.path.join(sub, "stat.csv")
        if os.path.exists(stat):
            rows = [r.split(";") for r in open(stat).read().splitlines() if r.strip()]
            if len(rows) >= 2:
                h = rows[0]
                ok += int(rows[-1][h.index("SuccessfulCall(C)")])
        stamps = []
        for f in os.listdir(sub):
            if f.endswith("_rtt.csv"):
                for line in open(os.path.join(sub, f)).read().splitlines()[1:]:
                    parts = line.split(";")
                    if len(parts) >= 2:
                        try:
                            stamps.append(float(parts[0]))
                            rtts.append(float(parts[1]))
                        except ValueError:
                            pass
        elapsed = max(elapsed, (max(stamps) - min(stamps)) / 1000.0 if len(stamps) > 1 else wall)
    elapsed = max(elapsed, calls / rate if rate else elapsed) if ok >= calls else max(elapsed, 1e-3)
    return SippResult(calls, ok, rtts, elapsed, sipp_cpu, n)


def tcp_endpoint_target():
    """Connections the server can hold: the hard open-file limit (root cannot raise it here) less a margin
    for the server's own files (jars, logs, database, listeners)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return max(1000, min(hard, 1 << 20) - 1000)


def established(port):
    """Established TCP connections whose local port is the server's (from /proc/net/tcp)."""
    n = 0
    for f in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            for line in open(f).read().splitlines()[1:]:
                parts = line.split()
                if parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                    n += 1
        except OSError:
            pass
    return n


def auth(user):
    # SIPp expands keywords read from an injection file, not nested in [authentication ...]
    return f"[authentication username={user} password={PASSWORD}]"


def write_users(path, rows):
    with open(path, "w") as f:
        f.write("SEQUENTIAL\n")
        for r in rows:
            f.write(";".join(r) + "\n")
    return path


# ---------------------------------------------------------------- scenarios

SCENARIOS = {
    # key: (label, scenario file, transport, injection file kind)
    "a": ("(a) REGISTER digest UDP", "register.xml", "u1", "users"),
    "b": ("(b) REGISTER digest TCP", "register.xml", "t1", "users"),
    "c": ("(c) MESSAGE relay UDP", "message-uac.xml", "u1", "users"),
    "d": ("(d) PUBLISH UDP", "publish.xml", "u1", "users"),
    "e": ("(e) SUBSCRIBE+NOTIFY UDP", "subscribe.xml", "u1", "watchers"),
}


class Bench:
    def __init__(self, mode, runs, only):
        self.m = dict(MODES[mode])
        self.mode = mode
        if runs:
            self.m["runs"] = runs
        self.only = only
        most = max(self.m["users"], self.m["endpoints"],
                   (self.m["tcp_endpoints"] or tcp_endpoint_target()) + self.m["tcp_warm"])
        self.users = [f"u{i}" for i in range(1, most + 1)] + [CALLEE]
        os.makedirs(WORK, exist_ok=True)
        n = self.m["users"]
        self.inf_users = write_users(os.path.join(WORK, "users.csv"), [(f"u{i}", auth(f"u{i}")) for i in range(1, n + 1)])
        self.inf_watch = write_users(os.path.join(WORK, "watchers.csv"),
                                     [(f"u{i}", auth(f"u{i}"), f"u{i % n + 1}") for i in range(1, n + 1)])
        self.inf_callee = write_users(os.path.join(WORK, "callee.csv"), [(CALLEE, auth(CALLEE))])
        self.inf_endpoints = write_users(os.path.join(WORK, "endpoints.csv"),
                                         [(f"u{i}", auth(f"u{i}")) for i in range(1, self.m["endpoints"] + 1)])
        self.results = {"Kamailio": {}, "Confab": {}}
        self.notes = []
        self.set_aside = {}     # fixed-rate runs repeated for the host's steal, per server

    def inf(self, kind):
        return self.inf_watch if kind == "watchers" else self.inf_users

    def step(self, srv, key, rate, seconds, tag):
        label, scen, tr, kind = SCENARIOS[key]
        calls = max(1, int(rate * seconds))
        return run_sipp(srv.port, scen, tr, rate, calls, self.inf(kind), tag, seconds + 8,
                        extra=("-set", "peer", CALLEE) if key == "c" else ())

    @staticmethod
    def passes(r, rate):
        return r.failed_ratio < 0.01 and r.pct(0.99) <= 100.0 and r.rate >= 0.95 * rate

    def ladder(self, srv, key, run):
        best = 0.0
        for rate in self.m["ladder"]:
            r = self.step(srv, key, rate, self.m["step"], f"{srv.name}-{key}-run{run}-r{rate}")
            ok = self.passes(r, rate)
            if not ok:
                # the machine is shared: a failed step is tried once more before the ladder stops
                time.sleep(1)
                r = self.step(srv, key, rate, self.m["step"], f"{srv.name}-{key}-run{run}-r{rate}-retry")
                ok = self.passes(r, rate)
            log(f"{srv.name} {key} run {run}: rate {rate}/s -> {r.ok}/{r.calls} ok, {r.rate:.0f}/s achieved, "
                f"p99 {r.pct(0.99):.1f} ms, {r.sipps} SIPp at {r.sipp_cpu / max(r.elapsed, 1e-3):.0%} of a core each "
                f"{'PASS' if ok else 'FAIL'}")
            if not ok:
                break
            # the step's rate, not the achieved one: SIPp's pacing at the edges of a 2 s step moved the
            # achieved rate of the same passing step by 1-2 % between runs and servers (24,606 vs 24,851)
            best = rate
            time.sleep(0.5)
        return best

    def with_callee(self, srv, key, fn):
        """(c) needs the SIPp UAS registered as the callee from the port it then listens on."""
        if key != "c":
            return fn()
        uport = CALLEE_PORT
        reg = run_sipp(srv.port, "register.xml", "u1", 1, 1, self.inf_callee, f"{srv.name}-callee-reg", 10, lport=uport)
        if reg.ok != 1:
            raise RuntimeError(f"{srv.name}: the callee could not register")
        d = os.path.join(WORK, "sipp", f"{srv.name}-uas")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        uas = spawn(["sipp", "-sf", os.path.join(SCEN, "message-uas.xml"), "-t", "u1", "-i", HOST, "-p", str(uport),
                     "-nostdin", "-timeout", "3600s", "-max_socket", "100", "-buff_size", str(SIPP_BUFFER)],
                    d, os.path.join(d, "sipp.out"))
        time.sleep(0.5)
        try:
            return fn()
        finally:
            stop(uas)
            if uas in STARTED:
                STARTED.remove(uas)

    def capture_start(self, srv, key, tag):
        """(c)'s fixed-rate runs are also timed off the wire (bench/wire.py), for both servers."""
        if key != "c" or not wire.available():
            return None
        path = os.path.join(WORK, f"{tag}.pcap")
        return path, wire.start(path, srv.port, path + ".log")

    def capture_end(self, srv, key, cap, keep=True):
        if cap is None:
            return
        path, proc = cap
        wire.stop(proc)
        if not keep:
            os.remove(path)
            return
        t = wire.message_timings(path, srv.port, CALLEE_PORT)
        res = self.results[srv.name]
        for k in ("wire", "own"):
            res.setdefault(f"{key}.{k}50", []).append(wire.pct(t[k], 0.5))
            res.setdefault(f"{key}.{k}99", []).append(wire.pct(t[k], 0.99))
        log(f"{srv.name} {key} on the wire: {len(t['wire'])} of {t['calls']} calls complete; MESSAGE to 200 "
            f"p50 {wire.pct(t['wire'], 0.5):.2f} / p99 {wire.pct(t['wire'], 0.99):.2f} ms; server's own time "
            f"p50 {wire.pct(t['own'], 0.5):.2f} / p99 {wire.pct(t['own'], 0.99):.2f} ms")
        with open(path + ".log", "rb") as f:
            dropped = re.search(rb"(\d+) packets dropped by kernel", f.read())
        if dropped and int(dropped.group(1)):
            self.notes.append(f"{srv.name} {key}: the capture lost {int(dropped.group(1))} packets")
        os.remove(path)             # 90,000 packets a run: the figures are kept, the capture is not

    def supported(self, srv, key):
        if key not in ("d", "e"):
            return True
        st = probe("PUBLISH" if key == "d" else "SUBSCRIBE", srv.port)
        if st in (489, 405, 503, 501, 0):
            msg = f"{srv.name}: {SCENARIOS[key][0]} skipped: the server answers {st or 'nothing'} (no presence role)"
            log(msg)
            self.notes.append(msg)
            return False
        return True

    def server_phase(self, srv):
        res = self.results[srv.name]
        t0 = srv.start()
        if isinstance(srv, Confab):
            srv.provision()
            srv.stop()
            t0 = srv.start()
        g = time_to_first_register(srv.port, t0)
        res["g"] = [g] if g is not None else []
        log(f"{srv.name}: (g) first 200 OK to REGISTER after {g if g is None else round(g, 2)} s")
        if g is None:
            raise RuntimeError(f"{srv.name} never answered a REGISTER with 200")
        time.sleep(2 if isinstance(srv, Kamailio) else 5)
        fresh = True
        for key in SCENARIOS:
            if self.only and key not in self.only:
                continue
            if not fresh:
                self.restart(srv)
            fresh = False
            if not self.supported(srv, key):
                continue

            def measure(key=key):
                # warm-up (JIT, caches), the same for both servers, not measured: long enough for the JVM's
                # optimising compiler to have compiled the request path (a server runs for months)
                w = self.step(srv, key, self.m["warm"][0], self.m["warm"][1], f"{srv.name}-{key}-warmup")
                log(f"{srv.name} {key} warm-up: {w.ok}/{w.calls} ok")
                maxes = [self.ladder(srv, key, run) for run in range(1, self.m["runs"] + 1)]
                res[key + ".max"] = maxes
                kam = self.results["Kamailio"].get(key + ".max")
                fixed = max(10, int(statistics.median(kam) * 0.5)) if kam else None
                if not fixed:
                    return
                res[key + ".fixed"] = fixed
                # the ladders end in overload (their last, failed step); the fixed-rate runs start from
                # a server that has worked off what that left (bounded: presence keeps some work going)
                ended = time.time()
                log(f"{srv.name} {key}: at rest after {wait_idle(srv.proc.pid, limit_s=30):.1f} s")
                # a transaction the overload left unanswered retransmits and ends by Timer F, 64*T1 = 32 s
                # after it began (RFC 3261 17.1.2.2), whether or not the CPU looks idle between its
                # retransmissions: the fixed-rate runs start after that, for both servers
                time.sleep(max(0.0, ended + 40 - time.time()))
                # then the fixed rate itself, not measured, until the server is in its steady state at that
                # load: a JVM that has just come out of the ladder's overload still collects what it left
                s = self.step(srv, key, fixed, self.m["settle"], f"{srv.name}-{key}-settle")
                log(f"{srv.name} {key} settling at {fixed}/s: {s.ok}/{s.calls} ok, p99 {s.pct(0.99):.1f} ms")
                p50, p99, cpu = [], [], []
                steals = []
                for run in range(1, self.m["runs"] + 1):
                    attempt = 0
                    while True:
                        attempt += 1
                        tag = f"{srv.name}-{key}-fixed-run{run}"
                        cap = self.capture_start(srv, key, tag)
                        k0 = kernel_cpu_seconds("kdamond")
                        s0 = cpu_times()
                        c0 = cpu_seconds(srv.proc.pid)
                        r = self.step(srv, key, fixed, self.m["fixed"], tag)
                        c1 = cpu_seconds(srv.proc.pid)
                        steal = steal_share(s0, cpu_times())
                        k1 = kernel_cpu_seconds("kdamond")
                        log(f"{srv.name} {key} at {fixed}/s: {r.ok}/{r.calls} ok, p50 {r.pct(0.5):.2f} ms, "
                            f"p99 {r.pct(0.99):.2f} ms, CPU {(c1 - c0):.2f} s; kernel's kdamond CPU {(k1 - k0):.2f} s; "
                            f"steal {steal:.1%} of the machine's CPU time")
                        if run_again(steal, attempt):
                            # the same rule for both servers; the runs set aside are logged, not hidden
                            log(f"{srv.name} {key}: run {run} set aside (steal {steal:.1%} > {STEAL_MAX:.0%}), run again")
                            self.capture_end(srv, key, cap, keep=False)
                            self.set_aside[srv.name] = self.set_aside.get(srv.name, 0) + 1
                            time.sleep(2)
                            continue
                        break
                    p50.append(r.pct(0.5))
                    p99.append(r.pct(0.99))
                    steals.append(steal * 100)
                    if r.ok:
                        cpu.append((c1 - c0) / r.ok * 1e6)
                    self.capture_end(srv, key, cap)
                res[key + ".p50"], res[key + ".p99"], res[key + ".cpu"] = p50, p99, cpu
                res[key + ".steal"] = steals

            self.with_callee(srv, key, measure)
        # (f) as often as the ladders, each run on a server started afresh and from no bindings: every
        # run removes what it registered (Contact: *, Expires: 0), or Confab would load them again at
        # its restart and count them in the next run's baseline
        for kind, measure_f in (("f", self.endpoints), ("t", self.tcp_endpoints)):
            if self.only and kind not in self.only:
                continue
            for run in range(1, self.m["runs"] + 1):
                if not fresh:
                    self.restart(srv)
                fresh = False
                measure_f(srv, run)
        srv.stop()

    def restart(self, srv):
        """Each scenario gets a server started afresh (both servers): every ladder ends in overload, and
        a JVM measured after earlier scenarios' overloads was still collecting what they left (MESSAGE
        at 4,000/s: 85-103 us per call and p99 on the wire 6.7-11.6 ms after the REGISTER ladders' overloads,
        67 us and 4.6 ms when the ladders stopped at 12,000/s and none overloaded it; 2026-12-03).
        Every restart is also a sample of (g), with all the users provisioned."""
        srv.stop()
        t0 = srv.start()
        g = time_to_first_register(srv.port, t0)
        if g is None:
            raise RuntimeError(f"{srv.name} did not answer a REGISTER with 200 after its restart")
        self.results[srv.name].setdefault("g", []).append(g)
        log(f"{srv.name}: (g) first 200 OK to REGISTER {g:.2f} s after a restart")
        time.sleep(2 if isinstance(srv, Kamailio) else 5)

    def unregister(self, srv, inf, tag, n):
        """Removes every binding of the users in inf (UDP, Contact: *), the same for both servers."""
        rate = self.m["reg_rate"]
        r = run_sipp(srv.port, "unregister.xml", "u1", rate, n, inf, tag, int(n / rate) + 60, lport=15092)
        log(f"{srv.name} {tag}: {r.ok}/{n} users' bindings removed")
        if r.ok < n:
            self.notes.append(f"{srv.name} {tag}: only {r.ok} of {n} users' bindings were removed")

    def endpoints(self, srv, run=1):
        """(f) registered endpoints over UDP: memory of the server per binding."""
        res = self.results[srv.name]
        n = self.m["endpoints"]
        log(f"{srv.name} (f): at rest after {wait_idle(srv.proc.pid):.1f} s")
        rss0, pss0 = memory_kib(srv.proc.pid)
        rate = self.m["reg_rate"]
        r = run_sipp(srv.port, "register.xml", "u1", rate, n, self.inf_endpoints, f"{srv.name}-f-run{run}",
                     int(n / rate) + 60, lport=15091)
        time.sleep(2)
        rss1, pss1 = memory_kib(srv.proc.pid)
        log(f"{srv.name} (f) run {run}: {r.ok}/{n} registered; RSS {rss0 // 1024} -> {rss1 // 1024} MiB, "
            f"PSS {pss0 // 1024} -> {pss1 // 1024} MiB")
        res.setdefault("f.ok", []).append(r.ok)
        res.setdefault("f.rss", []).append(pss1 / 1024)
        res.setdefault("f.per", []).append((pss1 - pss0) * 1024 / max(1, r.ok))
        self.unregister(srv, self.inf_endpoints, f"{srv.name}-f-run{run}-unregister", n)

    def tcp_endpoints(self, srv, run=1):
        """(f) over TCP: as many registered endpoints, each on its own connection, as the per-process
        open-file limit lets the server hold; several SIPp processes on several loopback addresses."""
        res = self.results[srv.name]
        n = self.m["tcp_endpoints"] or tcp_endpoint_target()
        per = 4000                      # connections per SIPp process (and per source address)
        procs = (n + per - 1) // per
        rate = 500
        hold_ms = int(n / rate * 1000) + 60_000
        self.tcp_warm_up(srv, n)
        log(f"{srv.name} (f) TCP: at rest after {wait_idle(srv.proc.pid):.1f} s")
        _, pss0 = memory_kib(srv.proc.pid)
        users = [f"u{i}" for i in range(1, n + 1)]
        sipps = []
        for k in range(procs):
            chunk = users[k * per:(k + 1) * per]
            inf = write_users(os.path.join(WORK, f"tcp-endpoints-{k}.csv"), [(u, auth(u)) for u in chunk])
            d = os.path.join(WORK, "sipp", f"{srv.name}-t{k}")
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            src = f"127.0.1.{k + 1}"
            sipps.append(spawn(["sipp", f"{HOST}:{srv.port}", "-sf", os.path.join(SCEN, "register-hold.xml"),
                                "-t", "tn", "-i", src, "-inf", inf, "-set", "domain", DOMAIN,
                                "-r", str(max(1, rate // procs)), "-m", str(len(chunk)), "-l", str(len(chunk)),
                                "-d", str(hold_ms), "-nostdin", "-timeout", f"{hold_ms // 1000 + 30}s",
                                "-max_socket", str(len(chunk) + 100)], d, os.path.join(d, "sipp.out")))
        # registered = established connections to the server's port, counted by the kernel
        deadline = time.time() + n / rate + 60
        best, still = 0, 0
        while time.time() < deadline:
            time.sleep(2)
            c = established(srv.port)
            if c >= n:
                best = c
                break
            still = still + 1 if c <= best else 0
            best = max(best, c)
            if still >= 10:              # no progress for 20 s
                break
        time.sleep(3)
        _, pss1 = memory_kib(srv.proc.pid)
        for p in sipps:
            stop(p, grace=10)
            if p in STARTED:
                STARTED.remove(p)
        log(f"{srv.name} (f) TCP run {run}: {best}/{n} connections registered; PSS {pss0 // 1024} -> {pss1 // 1024} MiB")
        res.setdefault("t.ok", []).append(best)
        res["t.n"] = n
        res.setdefault("t.per", []).append((pss1 - pss0) * 1024 / max(1, best))
        # the connections are closed; their bindings (and the warm-up's) go too, over UDP
        total = n + (self.m["tcp_warm"] or 0)
        inf = write_users(os.path.join(WORK, "tcp-unregister.csv"), [(f"u{i}", auth(f"u{i}")) for i in range(1, total + 1)])
        self.unregister(srv, inf, f"{srv.name}-t-run{run}-unregister", total)

    def tcp_warm_up(self, srv, n):
        """Before the (f) TCP baseline, the same for both servers: tcp_warm other users register over
        their own connections from another source address, hold them 2 s and close. What a server
        pays once (compiled TCP paths, class metadata, the database's cache of binding pages) is then
        not counted per connection; each of them leaves its binding, as a phone that went away does."""
        w = self.m["tcp_warm"]
        if not w:
            return
        inf = write_users(os.path.join(WORK, "tcp-warm.csv"), [(f"u{i}", auth(f"u{i}")) for i in range(n + 1, n + w + 1)])
        d = os.path.join(WORK, "sipp", f"{srv.name}-twarm")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        p = spawn(["sipp", f"{HOST}:{srv.port}", "-sf", os.path.join(SCEN, "register-hold.xml"), "-t", "tn",
                   "-i", "127.0.2.1", "-inf", inf, "-set", "domain", DOMAIN, "-r", "100", "-m", str(w), "-l", str(w),
                   "-d", "2000", "-nostdin", "-timeout", f"{w // 100 + 30}s", "-max_socket", str(w + 100)],
                  d, os.path.join(d, "sipp.out"))
        try:
            p.wait(w // 100 + 40)
        except subprocess.TimeoutExpired:
            pass
        stop(p, grace=10)
        if p in STARTED:
            STARTED.remove(p)
        log(f"{srv.name} (f) TCP: warm-up of {w} connections done (SIPp exit {p.returncode})")

    # ------------------------------------------------------------ table

    def table(self):
        rows = [("(g) start to first 200 OK to REGISTER, s", "g", False)]
        for k, (label, *_r) in SCENARIOS.items():
            rows.append((f"{label}: max rate, calls/s", k + ".max", True))
            rows.append((f"{label}: p50 ms at 50% of Kamailio max", k + ".p50", False))
            rows.append((f"{label}: p99 ms at 50% of Kamailio max", k + ".p99", False))
            if k == "c":
                rows.append((f"{label}: on the wire, MESSAGE to 200, p50 ms", k + ".wire50", False))
                rows.append((f"{label}: on the wire, MESSAGE to 200, p99 ms", k + ".wire99", False))
                rows.append((f"{label}: server's own time per call, p50 ms", k + ".own50", False))
                rows.append((f"{label}: server's own time per call, p99 ms", k + ".own99", False))
            rows.append((f"{label}: (h) server CPU us per call", k + ".cpu", False))
            rows.append((f"{label}: steal during the fixed-rate runs, % of CPU time", k + ".steal", False))
        rows.append((f"(f) UDP endpoints registered (of {self.m['endpoints']})", "f.ok", True))
        rows.append(("(f) server memory with them (PSS of the process tree), MiB", "f.rss", False))
        rows.append(("(f) memory per endpoint, bytes (PSS delta)", "f.per", False))
        rows.append((f"(f) TCP endpoints registered, one connection each (of {self.m['tcp_endpoints'] or tcp_endpoint_target()})",
                     "t.ok", True))
        rows.append(("(f) memory per TCP endpoint, bytes (PSS delta)", "t.per", False))

        lowest = self.m["ladder"][0]

        def cell(v, key):
            if not v:
                return "n/a"

            def fmt(x):
                if key.endswith(".max") and x == 0:
                    return f"<{lowest}"      # failed already at the lowest step
                if (key.endswith(".p50") or key.endswith(".p99")) and x < 1:
                    return "<1"              # SIPp reports whole ms (here in 4 ms steps: its loop's tick)
                return f"{x:.0f}" if x >= 100 else f"{x:.2f}"
            med = statistics.median(v)
            return fmt(med) if len(v) == 1 else f"{fmt(med)} ({fmt(min(v))}-{fmt(max(v))})"

        out = ["| Metric | Confab | Kamailio | Confab/Kamailio |", "|---|---:|---:|---:|"]
        for label, key, _higher in rows:
            c, k = self.results["Confab"].get(key), self.results["Kamailio"].get(key)
            ratio = "n/a"
            if c and k and statistics.median(k) and statistics.median(c) and not key.endswith(".steal") and not (
                    (key.endswith(".p50") or key.endswith(".p99")) and statistics.median(k) < 1):
                ratio = f"{statistics.median(c) / statistics.median(k):.2f}"
            if key.endswith(".p50") or key.endswith(".p99"):
                fixed = self.results["Kamailio"].get(key.split(".")[0] + ".fixed")
                if fixed:
                    label = label.replace("50% of Kamailio max", f"{fixed}/s")
            out.append(f"| {label} | {cell(c, key)} | {cell(k, key)} | {ratio} |")
        return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--only", help="scenario letters to run, e.g. abc (f: UDP endpoints, t: TCP endpoints)")
    ap.add_argument("--endpoints", type=int, help="override the number of (f) endpoints")
    ap.add_argument("--jfr", action="store_true", help="record a JFR profile of Confab into work/confab.jfr")
    a = ap.parse_args()
    global JFR
    JFR = a.jfr
    signal.signal(signal.SIGTERM, lambda *_: (stop_all(), sys.exit(143)))
    signal.signal(signal.SIGINT, lambda *_: (stop_all(), sys.exit(130)))
    mode = "quick" if a.quick else "full"
    if a.endpoints:
        MODES[mode]["endpoints"] = a.endpoints
    b = Bench(mode, a.runs, a.only)
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    try:
        # Kamailio first: its maximum sets the fixed rate at which both servers' latency is measured.
        log("Kamailio: shared config", KAM_CFG, "unchanged, -A WITH_AUTH -A WITH_PRESENCE")
        b.server_phase(Kamailio(b.users))
        log("Confab:", DIST)
        b.server_phase(Confab(b.users))
    finally:
        stop_all()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    head = (f"Confab vs Kamailio, {mode} mode, runs={b.m['runs']}, {started}; {os.cpu_count()} cores, {cpu}; "
            f"SIPp {b.m['step']} s per rate step; all on 127.0.0.1")
    for name, n in b.set_aside.items():
        b.notes.append(f"{name}: {n} fixed-rate run(s) set aside and run again: the host's steal was above "
                       f"{STEAL_MAX:.0%} of the machine's CPU time during them (bench.py, run_again)")
    table = b.table()
    print()
    print(head)
    print()
    print(table)
    for n in b.notes:
        print("note:", n)
    with open(os.path.join(WORK, "results.md"), "w") as f:
        f.write(head + "\n\n" + table + "\n" + "".join(f"\nnote: {n}" for n in b.notes) + "\n")
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump({"mode": mode, "date": started, "results": b.results, "notes": b.notes}, f, indent=1)


if __name__ == "__main__":
    main()
