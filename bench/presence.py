#!/usr/bin/env python3
"""Presence benchmark of Confab: (A) fan-out of one PUBLISH to N watchers, (B) a login storm.

Started by bench/presence.sh (a private network namespace, like bench/run.sh) or directly. Runs
Confab's assembled distribution as a separate process (karaf-dist/target/confab-dist-*.tar.gz)
on 127.0.0.1, provisions users and contact lists through the admin console, and drives it with
the load client bench/presence/PresenceLoad.java (JDK 17 single-file program: real SIP user
agents over UDP, digest auth, one dialog and one Contact per simulated user, several sockets on
several loopback addresses). Server CPU is utime+stime of the server's process tree from /proc,
memory is its PSS (smaps_rollup) and the JVM's live heap after a full GC (jcmd). Every wait is
bounded; every process started here is stopped by PID.

    bench/presence.sh --quick        # 2-3 minutes (more the first time: provisioning): small N (CI)
    bench/presence.sh                # full: N = 100, 1,000, 10,000 watchers; 10,000 users x 50 contacts
"""

import argparse
import json
import os
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)
import bench as B  # noqa: E402  (the Confab-vs-Kamailio runner: process, /proc and SIP helpers)

REPO = B.REPO
DIST = B.DIST
DOMAIN = B.DOMAIN
PASSWORD = B.PASSWORD
HOST = B.HOST
ADMIN_PW = B.ADMIN_PW
PWORK = os.path.join(B.WORK, "presence")
HOME = os.path.join(PWORK, "confab")
SNAPS = os.path.join(PWORK, "provisioned")  # one snapshot of data/ per size: provisioned/u<users>-s<storm>-c<contacts>
SNAP = None  # the snapshot of this run (snap_dir)
CLIENT_SRC = os.path.join(BENCH, "presence", "PresenceLoad.java")
RESULTS_MD = os.path.join(B.WORK, "presence-results.md")
RESULTS_JSON = os.path.join(B.WORK, "presence-results.json")
PROBE_USER = "probe"

MODES = {
    # quick: no steady-state memory figures (they need 35 s of waiting per phase for Timer J)
    "quick": dict(watchers=[100, 1000], rounds=3, storm_users=500, contacts=10, window=100, sockets=8,
                  settle=4, steady_wait=0),
    "full": dict(watchers=[100, 1000, 10000], rounds=5, storm_users=10000, contacts=50, window=200,
                 sockets=16, settle=10, steady_wait=35),
}


def log(*a):
    print("[presence]", *a, flush=True)


def users_needed(m):
    # (A): u1 is the presentity, u2..u(N+1) its watchers; (B): u1..uU, each with C contacts
    return max(max(m["watchers"]) + 1, m["storm_users"])


# ---------------------------------------------------------------- the server

def running(pid):
    """True while the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            st = fh.read()
        return st[st.rindex(")") + 2] != "Z"
    except (OSError, ValueError, IndexError):
        return False


class Server:
    """Confab's distribution unpacked under bench/work/presence/confab, started as `bin/karaf server`."""

    def __init__(self, port, ssh_port, heap):
        self.port, self.ssh_port, self.heap = port, ssh_port, heap
        self.proc = None

    def unpack(self):
        shutil.rmtree(HOME, ignore_errors=True)
        os.makedirs(HOME)
        subprocess.run(["tar", "-xzf", DIST, "-C", HOME, "--strip-components=1"], check=True, timeout=300)
        etc = os.path.join(HOME, "etc")
        for t in ("udp", "tcp"):
            B.Confab._set(os.path.join(etc, f"org.confab.sip.transport.listener-{t}.cfg"),
                          {"port": str(self.port), "host": HOST})
        B.Confab._set(os.path.join(etc, "org.apache.karaf.shell.cfg"), {"sshPort": str(self.ssh_port)})
        # as bench.py: MD5 alone (the load client also speaks SHA-256; MD5 keeps the two benchmarks alike)
        B.Confab._set(os.path.join(etc, "org.confab.registrar.cfg"), {"digest.algorithms": "MD5"})
        with open(os.path.join(etc, "users.properties"), "a") as f:
            f.write(f"\nadmin = {ADMIN_PW},_g_:admingroup\n")
        with open(os.path.join(etc, "admin.password"), "w") as f:
            f.write(ADMIN_PW + "\n")

    @staticmethod
    def setting(pid_file, key, default):
        """The value of key in etc/<pid_file>, or the default when it is commented out (as shipped)."""
        path = os.path.join(HOME, "etc", pid_file)
        text = open(path).read() if os.path.exists(path) else ""
        m = re.search(r"(?m)^\s*" + re.escape(key) + r"\s*=\s*(.*?)\s*$", text)
        if m:
            return m.group(1), "set"
        m = re.search(r"(?m)^#\s*" + re.escape(key) + r"\s*=\s*(.*?)\s*$", text)
        return (m.group(1) if m else default), "default"

    @staticmethod
    def java_env():
        env = dict(os.environ)
        if "JAVA_HOME" not in env:
            env["JAVA_HOME"] = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
        return env

    def start(self, extra_opts=""):
        if not B.port_free(self.port):
            sys.exit(f"presence: {HOST}:{self.port} is taken (use bench/presence.sh for a private namespace, or --port)")
        env = self.java_env()
        # Karaf 4.4's scripts ignore JAVA_MAX_MEM: the heap bound goes in EXTRA_JAVA_OPTS (as bench.py does)
        env["EXTRA_JAVA_OPTS"] = (env.get("EXTRA_JAVA_OPTS", "") + f" -Xmx{self.heap} -Xms512m {extra_opts}").strip()
        t0 = time.time()
        self.proc = B.spawn([os.path.join(HOME, "bin", "karaf"), "server"], HOME,
                            os.path.join(HOME, "console.log"), env)
        return t0

    def client(self, script, timeout):
        cmd = [os.path.join(HOME, "bin", "client"), "-h", HOST, "-a", str(self.ssh_port), "-u", "admin",
               "-p", ADMIN_PW, "-r", "30", "-d", "2", "-b"]
        r = subprocess.run(cmd, input=script.encode(), capture_output=True, timeout=timeout, env=self.java_env())
        return r.returncode, r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")

    def wait_shell(self, limit=180):
        deadline = time.time() + limit
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"presence: the server exited ({self.proc.returncode}); see {HOME}/console.log")
            try:
                rc, out = self.client("confab:domain-list\n", 60)
                if rc == 0:
                    return out
            except subprocess.TimeoutExpired:
                pass
            time.sleep(1)
        sys.exit(f"presence: Confab's shell did not answer within {limit} s; see {HOME}/data/log/karaf.log")

    def wait_sip(self, limit=180):
        """Seconds until the registrar answers a digest REGISTER of the probe user with 200."""
        t0 = time.time()
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((HOST, 0))
        s.settimeout(0.1)
        try:
            if B.register_digest_once(self.port, PROBE_USER, PASSWORD, s, t0 + limit):
                return time.time() - t0
        finally:
            s.close()
        sys.exit("presence: Confab never answered a REGISTER with 200; see " + HOME + "/data/log/karaf.log")

    def settle(self, seconds):
        """Waits until the transactions of what just ran have ended, then makes the transport drop them:
        a completed UDP transaction is kept for Timer J (64*T1 = 32 s) and removed lazily, when another
        transaction completes or at the transport's 60-s sweep. One digest REGISTER of the probe user
        completes two transactions and so clears every entry older than Timer J."""
        time.sleep(seconds)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((HOST, 0))
        s.settimeout(0.1)
        try:
            B.register_digest_once(self.port, PROBE_USER, PASSWORD, s, time.time() + 10)
        finally:
            s.close()
        time.sleep(0.2)

    def java_pid(self):
        for p in B.tree(self.proc.pid):
            try:
                with open(f"/proc/{p}/comm") as f:
                    if f.read().strip() == "java":
                        return p
            except OSError:
                pass
        return self.proc.pid

    def cpu(self):
        return B.cpu_seconds(self.proc.pid)

    def pss_mib(self):
        return B.memory_kib(self.proc.pid)[1] / 1024

    def max_heap_mib(self):
        """The JVM's MaxHeapSize (jcmd VM.flags), MiB: proof that the bound reached the JVM."""
        env = self.java_env()
        try:
            out = subprocess.run([os.path.join(env["JAVA_HOME"], "bin", "jcmd"), str(self.java_pid()), "VM.flags"],
                                 capture_output=True, timeout=60, env=env).stdout.decode()
        except (OSError, subprocess.TimeoutExpired):
            return None
        m = re.search(r"MaxHeapSize=(\d+)", out)
        return int(m.group(1)) / 1048576 if m else None

    def heap_live_mib(self):
        """Used heap after a full GC (jcmd GC.run, then GC.heap_info), MiB; None when jcmd fails."""
        pid = str(self.java_pid())
        try:
            env = self.java_env()
            jcmd = os.path.join(env["JAVA_HOME"], "bin", "jcmd")
            subprocess.run([jcmd, pid, "GC.run"], capture_output=True, timeout=60, env=env)
            out = subprocess.run([jcmd, pid, "GC.heap_info"], capture_output=True, timeout=60, env=env).stdout.decode()
        except (OSError, subprocess.TimeoutExpired):
            return None
        m = re.search(r"used (\d+)K", out)
        return int(m.group(1)) / 1024 if m else None

    def stop(self, grace=120):
        """SIGTERM to the process tree, then waits until every process of it has exited (at most
        grace seconds) before SIGKILL. (bench.stop's grace covers only bin/karaf, which exits at
        once; it SIGKILLs the JVM ~5 s later, in the middle of a longer shutdown.) Returns the
        seconds the JVM took to exit."""
        if self.proc is None:
            return 0.0
        pids = B.tree(self.proc.pid)
        t0 = time.time()
        for p in pids:
            try:
                os.kill(p, signal.SIGTERM)
            except OSError:
                pass
        deadline = t0 + grace
        alive = list(pids)
        while alive and time.time() < deadline:
            alive = [p for p in alive if running(p)]
            if alive:
                time.sleep(0.05)
        took = time.time() - t0
        for p in alive:
            log(f"pid {p} still running {grace} s after SIGTERM: SIGKILL")
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        if self.proc in B.STARTED:
            B.STARTED.remove(self.proc)
        self.proc = None
        return took


# ---------------------------------------------------------------- provisioning

def user_lines(n):
    lines = [f"confab:domain-add {DOMAIN}",
             f"confab:user-enable --password {PASSWORD} sip:{PROBE_USER}@{DOMAIN}"]
    lines += [f"confab:user-enable --password {PASSWORD} sip:u{i}@{DOMAIN}" for i in range(1, n + 1)]
    return lines


def contact_pairs(users, per_user):
    """User i's list: the next per_user users after it (wrapping), so every user is on per_user lists."""
    for i in range(1, users + 1):
        for k in range(1, per_user + 1):
            yield i, (i - 1 + k) % users + 1


def console_source(srv, lines, name, timeout):
    """Runs the commands as one console command (shell:source of a script): ~4x faster than one
    bin/client session reading them, since nothing is echoed back over SSH."""
    path = os.path.join(PWORK, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    t = time.time()
    rc, out = srv.client(f"shell:source {path} > {path}.out\n", timeout)
    dt = time.time() - t
    if rc != 0:
        log(f"console script {name} exited {rc}: {out[-500:]}")
    text = open(path + ".out", errors="replace").read() if os.path.exists(path + ".out") else ""
    refused = len(re.findall(r"(?im)^(Error|Refused|Command failed)", text + out))
    return dt, rc, refused


def derby_classpath():
    jars = []
    for root, _d, files in os.walk(os.path.join(HOME, "system", "org", "apache", "derby")):
        jars += [os.path.join(root, f) for f in files if f.endswith(".jar")]
    return ":".join(sorted(jars))


def bulk_load_contacts(pairs):
    """RTC.CONTACTS rows with Derby's SYSCS_IMPORT_DATA (ij, server stopped): the same rows
    confab:contact-add writes (no display name, no group). No console command imports in bulk."""
    csv = os.path.join(PWORK, "contacts.csv")
    n = 0
    with open(csv, "w") as f:
        for i, j in pairs:
            f.write(f'"sip:u{i}@{DOMAIN}","sip:u{j}@{DOMAIN}","",""\n')
            n += 1
    db = os.path.join(HOME, "data", "confab", "rtc")
    script = os.path.join(PWORK, "bulk.sql")
    with open(script, "w") as f:
        f.write(f"connect 'jdbc:derby:{db}';\n"
                f"CALL SYSCS_UTIL.SYSCS_IMPORT_DATA('RTC','CONTACTS','OWNER,URI,DISPLAY_NAME,GROUP_NAME',"
                f"null,'{csv}',null,null,'UTF-8',0);\n"
                "SELECT COUNT(*) AS CONTACT_ROWS FROM RTC.CONTACTS;\n"
                "SELECT COUNT(*) AS NULL_NAMES FROM RTC.CONTACTS WHERE DISPLAY_NAME IS NULL OR GROUP_NAME IS NULL;\n"
                "disconnect;\nconnect 'jdbc:derby:;shutdown=true';\nexit;\n")
    t = time.time()
    r = subprocess.run(["java", "-Dderby.system.home=" + PWORK, "-Dij.outfile=" + script + ".out",
                        "-cp", derby_classpath(), "org.apache.derby.tools.ij", script],
                       capture_output=True, timeout=3600)
    dt = time.time() - t
    out = open(script + ".out").read() if os.path.exists(script + ".out") else r.stdout.decode()
    counts = [int(x) for x in re.findall(r"(?m)^\s*(\d+)\s*$", out)]
    if "ERROR" in out and "XJ015" not in out or len(counts) < 2 or counts[1] != 0:
        sys.exit(f"presence: bulk load of contacts failed, see {script}.out:\n{out[-1500:]}")
    return n, dt, counts[0]


def stamp_of(m):
    st = os.stat(DIST)
    return {"dist_mtime": int(st.st_mtime), "dist_size": st.st_size, "users": users_needed(m),
            "contacts": m["contacts"], "storm_users": m["storm_users"], "version": 2}


def snap_dir(m):
    return os.path.join(SNAPS, f"u{users_needed(m)}-s{m['storm_users']}-c{m['contacts']}")


def provision(srv, m, force, contact_load):
    """Unpacks, provisions users and contact lists once, and keeps the data directory as a snapshot
    (reused while the distribution and the sizes are the same: provisioning dominates the run time)."""
    global SNAP
    SNAP = snap_dir(m)
    want = stamp_of(m)
    sf = os.path.join(SNAP, "stamp.json")
    if not force and os.path.exists(sf) and os.path.isdir(os.path.join(HOME, "etc")):
        have = json.load(open(sf))
        if all(have.get(k) == v for k, v in want.items()):
            log(f"provisioned snapshot reused ({have['provisioned_at']}); --reprovision to redo it")
            return dict(have["report"], reused=have["provisioned_at"])
    shutil.rmtree(SNAP, ignore_errors=True)
    srv.unpack()
    rep = {}
    n_users = users_needed(m)
    t0 = time.time()
    srv.start()
    srv.wait_shell()
    rep["first_start_s"] = time.time() - t0
    dt, rc, refused = console_source(srv, user_lines(n_users), "users.script", 7200)
    rep.update(users=n_users + 1, users_s=dt, users_refused=refused)
    log(f"{n_users + 1} users through the console in {dt:.1f} s ({(n_users + 1) / dt:.0f}/s), {refused} refused")
    pairs = list(contact_pairs(m["storm_users"], m["contacts"]))
    total = len(pairs)
    if contact_load == "console" or (contact_load == "auto" and total <= 10000):
        sample = total
    else:
        sample = min(total, 2000)
    lines = [f"confab:contact-add sip:u{i}@{DOMAIN} sip:u{j}@{DOMAIN}" for i, j in pairs[:sample]]
    dt, rc, refused = console_source(srv, lines, "contacts.script", 14400) if lines else (0.0, 0, 0)
    rep.update(contacts=total, contacts_console=sample, contacts_console_s=dt, contacts_refused=refused)
    log(f"{sample} contacts through the console in {dt:.1f} s ({sample / max(dt, 1e-9):.0f}/s), {refused} refused")
    srv.stop()
    if sample < total:
        n, dt, rows = bulk_load_contacts(pairs[sample:])
        rep.update(contacts_bulk=n, contacts_bulk_s=dt)
        log(f"{n} contacts bulk-loaded (Derby SYSCS_IMPORT_DATA, server stopped) in {dt:.1f} s; {rows} rows in all")
        if rows != total:
            sys.exit(f"presence: RTC.CONTACTS has {rows} rows, expected {total}")
    rep["total_s"] = time.time() - t0
    os.makedirs(SNAPS, exist_ok=True)
    shutil.copytree(os.path.join(HOME, "data"), os.path.join(SNAP, "data"), symlinks=True)
    json.dump(dict(want, report=rep, provisioned_at=time.strftime("%Y-%m-%d %H:%M:%S %Z")), open(sf, "w"), indent=1)
    return rep


def restore_snapshot():
    shutil.rmtree(os.path.join(HOME, "data"), ignore_errors=True)
    shutil.copytree(os.path.join(SNAP, "data"), os.path.join(HOME, "data"), symlinks=True)
    shutil.rmtree(os.path.join(HOME, "data", "log"), ignore_errors=True)


# ---------------------------------------------------------------- the load client

class LoadClient:
    """bench/presence/PresenceLoad.java in a JVM of its own; one command line in, one RESULT line out."""

    def __init__(self, port, m, tag):
        self.log = os.path.join(PWORK, f"load-{tag}.log")
        cmd = ["java", "-Xms256m", "-Xmx2g", "-XX:+UseParallelGC", CLIENT_SRC,
               "--server", f"{HOST}:{port}", "--domain", DOMAIN, "--password", PASSWORD,
               "--sockets", str(m["sockets"]), "--addresses", str(min(8, m["sockets"])),
               "--window", str(m["window"]), "--wait", str(m.get("wait", 300))]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(self.log, "ab"), cwd=PWORK)
        B.STARTED.append(self.proc)
        self.buf = b""
        line = self._line(120)
        if not line.startswith("READY"):
            raise RuntimeError(f"load client did not start: {line!r}; see {self.log}")
        self.ready = json.loads(line.split(" ", 1)[1])

    def _line(self, timeout):
        deadline = time.time() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.time()
            if left <= 0 or self.proc.poll() is not None:
                return ""
            r, _w, _x = select.select([fd], [], [], min(left, 1.0))
            if r:
                chunk = os.read(fd, 65536)
                if not chunk:
                    return ""
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace").strip()

    def cmd(self, line, timeout=900):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        while True:
            out = self._line(timeout)
            if not out:
                raise RuntimeError(f"load client: no answer to {line!r} within {timeout} s; see {self.log}")
            if out.startswith("RESULT "):
                r = json.loads(out[7:])
                if "error" in r:
                    raise RuntimeError(f"load client: {line!r}: {r['error']}")
                return r

    def cpu(self):
        return B.cpu_seconds(self.proc.pid)

    def close(self):
        try:
            self.proc.stdin.write(b"quit\n")
            self.proc.stdin.flush()
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        B.stop(self.proc, grace=5)
        if self.proc in B.STARTED:
            B.STARTED.remove(self.proc)


def udp_errors():
    """(InErrors, RcvbufErrors) of UDP in this network namespace (/proc/net/snmp)."""
    try:
        rows = [l.split() for l in open("/proc/net/snmp") if l.startswith("Udp:")]
        h, v = rows[0], rows[1]
        return int(v[h.index("InErrors")]), int(v[h.index("RcvbufErrors")])
    except (OSError, ValueError, IndexError):
        return 0, 0


def idle_cpu_rate(srv, seconds=3.0):
    c0 = srv.cpu()
    time.sleep(seconds)
    return (srv.cpu() - c0) / seconds


# ---------------------------------------------------------------- scenarios

JFR = False  # --jfr: a Java Flight Recording of the server per scenario, summarised after it stops


def start_server(srv, tag):
    restore_snapshot()
    opts = ""
    if JFR:
        path = os.path.join(PWORK, f"{tag}.jfr")
        opts = f"-XX:StartFlightRecording=settings=profile,dumponexit=true,filename={path}"
    t0 = srv.start(opts)
    ready = srv.wait_sip()
    log(f"server up: first 200 OK to REGISTER {ready:.1f} s after spawn (pid {srv.java_pid()}, "
        f"max heap {srv.max_heap_mib():.0f} MiB)")
    time.sleep(3)  # let the start settle (bundles, first sweeps)
    return time.time() - t0


def fanout(srv, m, n, net):
    """(A) u1 with n watchers u2..u(n+1): subscription setup, then `rounds` PUBLISHes."""
    res = {"n": n, "steady_wait": m["steady_wait"]}
    start_server(srv, f"fanout-{n}")
    client = LoadClient(srv.port, m, f"fanout-{n}")
    try:
        res["idle_cpu_per_s"] = idle_cpu_rate(srv)
        res["heap0"] = srv.heap_live_mib()
        res["pss0"] = srv.pss_mib()
        e0 = udp_errors()
        c0 = srv.cpu()
        r = client.cmd(f"register 2 {n + 1}")
        res["register"] = r
        res["register_cpu"] = srv.cpu() - c0
        log(f"A n={n}: {r['ok']}/{r['users']} watchers registered in {r['seconds']:.2f} s")
        # the REGISTER transactions linger (Timer J): the baseline is taken once they have ended
        if m["steady_wait"]:
            srv.settle(m["steady_wait"])
        res["heap1"], res["pss1"] = srv.heap_live_mib(), srv.pss_mib()
        c0, k0 = srv.cpu(), client.cpu()
        r = client.cmd(f"subscribe 1 2 {n + 1}")
        time.sleep(0.3)
        res["sub_cpu"], res["sub_client_cpu"] = srv.cpu() - c0, client.cpu() - k0
        res["subscribe"] = r
        res["pss2"] = srv.pss_mib()
        res["heap2"] = srv.heap_live_mib()
        log(f"A n={n}: {r['initial_notify']}/{n} subscriptions with their initial NOTIFY in "
            f"{r['seconds_to_all_initial_notify']:.2f} s; server CPU {res['sub_cpu']:.2f} s; "
            f"live heap {res['heap1']:.1f} -> {res['heap2']:.1f} MiB")
        # transactions of the setup linger (Timer J, 64*T1 = 32 s for UDP): measure again without them
        res["heap2s"] = res["pss2s"] = None
        if m["steady_wait"]:
            srv.settle(m["steady_wait"])
            res["heap2s"], res["pss2s"] = srv.heap_live_mib(), srv.pss_mib()
        rounds = []
        for k in range(m["rounds"]):
            time.sleep(max(1.0, 2 * net["min_notify_ms"] / 1000))
            marker = f"bench-{n}-{k}-{int(time.time() * 1000) % 100000000}"
            c0, k0 = srv.cpu(), client.cpu()
            r = client.cmd(f"publish 1 {marker} {'away' if k % 2 == 0 else ''}".strip())
            time.sleep(0.3)
            r["cpu"], r["client_cpu"] = srv.cpu() - c0, client.cpu() - k0
            rounds.append(r)
            log(f"A n={n} round {k + 1}: PUBLISH 200 in {r['publish_ms']:.1f} ms, {r['received']}/{r['watchers']} "
                f"NOTIFYs, last {r['fanout_ms']:.1f} ms after the 200 (p50 {r['latency_ms'].get('p50', 0):.1f}); "
                f"server CPU {r['cpu']:.2f} s")
        res["rounds"] = rounds
        res["pss3"] = srv.pss_mib()
        res["stats"] = client.cmd("stats")
        e1 = udp_errors()
        res["udp_in_errors"], res["udp_rcvbuf_errors"] = e1[0] - e0[0], e1[1] - e0[1]
        stop_server_first(srv, client, res)
    finally:
        client.close()
        srv.stop()
    return res


def stop_server_first(srv, client, res):
    """The server stops while the watchers still answer: it ends every subscription with a final
    NOTIFY (reason=deactivated) and waits for the answers (shutdown.notify.wait.ms)."""
    before = res["stats"]["terminated"]
    res["stop_s"] = srv.stop()
    time.sleep(0.5)
    res["final_notifies"] = client.cmd("stats")["terminated"] - before


def storm(srv, m, net):
    """(B) every user signs in: REGISTER, then one resource-list SUBSCRIBE to its own contact list."""
    u, c = m["storm_users"], m["contacts"]
    res = {"users": u, "contacts": c, "steady_wait": m["steady_wait"]}
    start_server(srv, "storm")
    client = LoadClient(srv.port, m, "storm")
    try:
        res["idle_cpu_per_s"] = idle_cpu_rate(srv)
        res["heap0"], res["pss0"] = srv.heap_live_mib(), srv.pss_mib()
        e0 = udp_errors()
        c0, k0 = srv.cpu(), client.cpu()
        r = client.cmd(f"signin 1 {u} {c}", timeout=3600)
        res["cpu"], res["client_cpu"] = srv.cpu() - c0, client.cpu() - k0
        res["signin"] = r
        res["pss1"] = srv.pss_mib()
        log(f"B: {r['initial_notify']}/{u} users with their initial list NOTIFY in "
            f"{r['seconds_to_all_initial_notify']:.2f} s ({r['lists_complete']} with all {c} resources), "
            f"{r['failed']} failed; server CPU {res['cpu']:.2f} s")
        # after the storm: partial NOTIFYs as contacts come online (sweep every 1 s, coalesced per watcher)
        views = []
        c1 = srv.cpu()
        t_end = time.time() + m["settle"]
        while time.time() < t_end:
            time.sleep(min(2.0, max(0.1, t_end - time.time())))
            v = client.cmd(f"view 1 {u} {c}")
            v["t"] = m["settle"] - (t_end - time.time())
            views.append(v)
        res["views"] = views
        res["settle_cpu"] = srv.cpu() - c1
        res["heap1"], res["pss_settled"] = srv.heap_live_mib(), srv.pss_mib()
        res["heap2"] = res["pss2"] = None
        if m["steady_wait"]:
            srv.settle(max(0, m["steady_wait"] - m["settle"]))
            res["heap2"], res["pss2"] = srv.heap_live_mib(), srv.pss_mib()
        res["stats"] = client.cmd("stats")
        e1 = udp_errors()
        res["udp_in_errors"], res["udp_rcvbuf_errors"] = e1[0] - e0[0], e1[1] - e0[1]
        v = views[-1]
        log(f"B after {m['settle']} s: {v['lists_all_online']}/{u} lists show all {c} contacts online; "
            f"{v['online']}/{v['members']} members online")
        stop_server_first(srv, client, res)
    finally:
        client.close()
        srv.stop()
    return res


def jfr_summary(tag, top=25):
    """Execution samples of a recording: shares by thread, top frame and first Confab frame."""
    path = os.path.join(PWORK, f"{tag}.jfr")
    if not os.path.exists(path):
        return None
    jfr = os.path.join(Server.java_env()["JAVA_HOME"], "bin", "jfr")
    r = subprocess.run([jfr, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "40", path],
                       capture_output=True, timeout=900)
    text = r.stdout.decode("utf-8", "replace")
    threads, tops, confab, n = {}, {}, {}, 0
    for ev in text.split("jdk.ExecutionSample")[1:]:
        th = re.search(r'sampledThread = "([^"]*)"', ev)
        frames = re.findall(r"(?m)^\s+([\w$.<>]+\([^)]*\))\s+line:\s*(\d+)", ev)
        if not frames:
            continue
        n += 1
        name = re.sub(r"[-#]?\d+$", "", th.group(1)) if th else "?"
        threads[name] = threads.get(name, 0) + 1
        key = frames[0][0]
        tops[key] = tops.get(key, 0) + 1
        first = next((f"{fr} line {ln}" for fr, ln in frames if fr.startswith("org.confab.")), "(no Confab frame)")
        confab[first] = confab.get(first, 0) + 1

    def table(title, d):
        rows = sorted(d.items(), key=lambda kv: -kv[1])[:top]
        return "\n".join([f"| Share | {title} |", "|---:|---|"] + [f"| {100 * c / n:.1f} % | `{k}` |" for k, c in rows])
    out = (f"Profile of the server during `{tag}` ({n:,} execution samples, JFR settings=profile)\n\n"
           + table("thread", threads) + "\n\n" + table("top frame", tops) + "\n\n"
           + table("first Confab frame on the stack", confab) + "\n")
    md = os.path.join(B.WORK, f"presence-profile-{tag}.md")
    with open(md, "w") as fh:
        fh.write(out)
    log(f"profile of {tag}: {md}")
    return md


# ---------------------------------------------------------------- the table

def f(x, nd=None):
    if x is None:
        return "n/a"
    if isinstance(x, int):
        return f"{x:,}"
    if nd is None:
        nd = 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2
    return f"{x:,.{nd}f}"


def pct(d, k):
    return d.get(k) if d else None


def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None


def later_label(seconds):
    return f"{seconds} s later" if seconds else "later (not measured: --steady-wait 0)"


def fanout_rows(runs):
    def col(fn):
        out = []
        for r in runs:
            try:
                out.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError, ValueError, IndexError):
                out.append("n/a")
        return out

    def later(r):
        return r["rounds"][1:] or r["rounds"]

    def heap_delta(r):
        return None if r["heap1"] is None or r["heap2"] is None else r["heap2"] - r["heap1"]

    rows = [
        ("watchers REGISTERed (401, REGISTER, 200), s", col(lambda r: f"{f(r['register']['seconds'])} ({r['register']['ok']:,} ok)")),
        ("setup: subscriptions with their initial NOTIFY", col(lambda r: f"{r['subscribe']['initial_notify']:,} of {r['n']:,}"
                                                              + (f", {r['subscribe']['failed']:,} failed" if r['subscribe']['failed'] else ""))),
        ("setup: first SUBSCRIBE to last initial NOTIFY (SUBSCRIBE, 407, SUBSCRIBE, 200, NOTIFY), s",
         col(lambda r: f(r["subscribe"]["seconds_to_all_initial_notify"]))),
        ("setup: rate, subscriptions/s", col(lambda r: f(r["subscribe"]["per_second"], 0))),
        ("setup: one subscription, SUBSCRIBE to initial NOTIFY, p50 / p99 ms",
         col(lambda r: f"{f(pct(r['subscribe']['setup_ms'], 'p50'))} / {f(pct(r['subscribe']['setup_ms'], 'p99'))}")),
        ("setup: ... of which SUBSCRIBE to its 200 / 200 to the initial NOTIFY, p50 ms",
         col(lambda r: f"{f(pct(r['subscribe']['ok_ms'], 'p50'))} / {f(pct(r['subscribe']['notify_after_ok_ms'], 'p50'))}")),
        ("setup: requests the client retransmitted (no answer in 500 ms+) / NOTIFYs the server retransmitted",
         col(lambda r: f"{r['subscribe']['retransmits']:,} / {r['subscribe']['notify_dups']:,}")),
        ("setup: server CPU, s (us per subscription)",
         col(lambda r: f"{f(r['sub_cpu'])} ({f(r['sub_cpu'] * 1e6 / max(1, r['subscribe']['initial_notify']), 0)})")),
        ("setup: live heap after full GC, right after, +MiB (bytes per subscription)",
         col(lambda r: f"{f(heap_delta(r))} ({f(heap_delta(r) * 1048576 / max(1, r['subscribe']['initial_notify']), 0)})")),
        (f"setup: the same {later_label(runs[0].get('steady_wait', 35))} (setup transactions ended: the subscriptions"
         " alone), +MiB (bytes per subscription)",
         col(lambda r: f"{f(r['heap2s'] - r['heap1'])} ({f((r['heap2s'] - r['heap1']) * 1048576 / max(1, r['subscribe']['initial_notify']), 0)})")),
        (f"setup: server PSS, MiB before -> after -> {later_label(runs[0].get('steady_wait', 35))}",
         col(lambda r: f"{f(r['pss1'], 0)} -> {f(r['pss2'], 0)} -> {f(r['pss2s'], 0)}")),
        ("PUBLISH sent to its 200 (with 407 round), ms, median", col(lambda r: f(med([x['publish_ms'] for x in r['rounds']])))),
        ("fan-out: PUBLISH's 200 to the last watcher's NOTIFY, ms: round 1", col(lambda r: f(r["rounds"][0]["fanout_ms"]))),
        ("fan-out: the same, later rounds: median (min-max), ms",
         col(lambda r: f"{f(med([x['fanout_ms'] for x in later(r)]))} ({f(min(x['fanout_ms'] for x in later(r)))}-"
                       f"{f(max(x['fanout_ms'] for x in later(r)))})")),
        ("fan-out: per-watcher delay p50 / p99, ms (median round)",
         col(lambda r: f"{f(med([pct(x['latency_ms'], 'p50') for x in later(r)]))} / "
                       f"{f(med([pct(x['latency_ms'], 'p99') for x in later(r)]))}")),
        ("fan-out: NOTIFYs per second (median round)", col(lambda r: f(med([x['per_second'] for x in later(r)]), 0))),
        ("fan-out: server CPU, s (us per NOTIFY), median round",
         col(lambda r: f"{f(med([x['cpu'] for x in later(r)]))} ({f(med([x['cpu'] * 1e6 / max(1, x['received']) for x in later(r)]), 0)})")),
        ("fan-out: NOTIFYs missing / retransmitted by the server, all rounds",
         col(lambda r: f"{sum(x['missing'] for x in r['rounds']):,} / {sum(x['retransmitted_notifies'] for x in r['rounds']):,}")),
        ("server PSS at the end, MiB", col(lambda r: f(r["pss3"], 0))),
        ("server stop: s, final NOTIFYs (reason=deactivated) received",
         col(lambda r: f"{f(r['stop_s'])} s, {r['final_notifies']:,} of {r['subscribe']['initial_notify']:,}")),
        ("load client CPU, fan-out median round, s", col(lambda r: f(med([x['client_cpu'] for x in later(r)])))),
        ("UDP receive errors in the namespace (buffer overflows)",
         col(lambda r: f"{r['udp_in_errors']:,} ({r['udp_rcvbuf_errors']:,})")),
    ]
    head = "| (A) one PUBLISH, N watchers | " + " | ".join(f"N = {r['n']:,}" for r in runs) + " |"
    sep = "|---|" + "---:|" * len(runs)
    return "\n".join([head, sep] + [f"| {label} | " + " | ".join(vals) + " |" for label, vals in rows])


def storm_rows(r):
    s, v = r["signin"], r["views"][-1]
    u, c = r["users"], r["contacts"]
    heap = None if r["heap0"] is None or r["heap1"] is None else r["heap1"] - r["heap0"]
    heap2 = None if r["heap0"] is None or r.get("heap2") is None else r["heap2"] - r["heap0"]
    rows = [
        ("users signing in / contacts per user", f"{u:,} / {c:,} ({u * c:,} list members)"),
        ("subscription kind", "one resource-list SUBSCRIBE per user to its own list (Supported: eventlist, RFC 4662)"),
        ("sign-ins completed (REGISTER 401/200, SUBSCRIBE 407/200) / failed",
         f"{s['ok']:,} / {s['failed']:,}" + (f" ({s['reasons']})" if s["reasons"] else "")),
        ("users with their initial NOTIFY / lists naming all contacts", f"{s['initial_notify']:,} / {s['lists_complete']:,}"),
        ("first REGISTER to the last initial NOTIFY, s", f(s["seconds_to_all_initial_notify"])),
        ("sign-ins per second", f(s["per_second"], 0)),
        ("one sign-in, REGISTER to initial NOTIFY, p50 / p99 ms",
         f"{f(pct(s['signin_ms'], 'p50'))} / {f(pct(s['signin_ms'], 'p99'))}"),
        ("... of which SUBSCRIBE to its 200 / 200 to the initial NOTIFY, p50 ms",
         f"{f(pct(s['ok_ms'], 'p50'))} / {f(pct(s['notify_after_ok_ms'], 'p50'))}"),
        ("requests the client retransmitted / NOTIFYs the server retransmitted",
         f"{s['retransmits']:,} / {s['notify_dups']:,}"),
        ("503 answers (retried after Retry-After)", f"{s['503s']:,}"),
        ("server CPU, s (ms per sign-in)", f"{f(r['cpu'])} ({f(r['cpu'] * 1e3 / max(1, s['initial_notify']))})"),
        ("server PSS, MiB before -> after", f"{f(r['pss0'], 0)} -> {f(r['pss1'], 0)}"),
        ("live heap after full GC, +MiB (bytes per user): after the storm",
         f"{f(heap)} ({f(heap * 1048576 / max(1, u), 0) if heap is not None else 'n/a'})"),
        (f"... {later_label(r.get('steady_wait', 35))} (sign-in transactions ended)",
         f"{f(heap2)} ({f(heap2 * 1048576 / max(1, u), 0) if heap2 is not None else 'n/a'}); PSS {f(r['pss2'], 0)} MiB"),
        (f"after {r['views'][-1]['t']:.0f} s more: lists showing every contact online",
         f"{v['lists_all_online']:,} of {u:,}"),
        ("... list members shown online / listed", f"{v['online']:,} / {v['members']:,} (all {u:,} users are registered)"),
        ("... NOTIFYs received in all (initial + partial)", f"{v['notifies_total']:,}"),
        ("... server CPU in that time, s", f(r["settle_cpu"])),
        ("load client CPU during the storm, s", f(r["client_cpu"])),
        ("server stop: s, final NOTIFYs (reason=deactivated) received", f"{f(r['stop_s'])} s, {r['final_notifies']:,} of {u:,}"),
        ("UDP receive errors in the namespace (buffer overflows)", f"{r['udp_in_errors']:,} ({r['udp_rcvbuf_errors']:,})"),
    ]
    return "\n".join(["| (B) login storm | Value |", "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows])


def provisioning_rows(p):
    rows = [("users (confab:user-enable, one shell:source console script)",
             f"{p['users']:,} in {f(p['users_s'])} s ({f(p['users'] / max(p['users_s'], 1e-9), 0)}/s)")]
    rows.append(("contacts through the console (confab:contact-add, shell:source)",
                 f"{p['contacts_console']:,} in {f(p['contacts_console_s'])} s "
                 f"({f(p['contacts_console'] / max(p['contacts_console_s'], 1e-9), 0)}/s)"))
    if p.get("contacts_bulk"):
        rate = p["contacts_console"] / max(p["contacts_console_s"], 1e-9)
        rows.append(("contacts bulk-loaded (Derby SYSCS_IMPORT_DATA, server stopped)",
                     f"{p['contacts_bulk']:,} in {f(p['contacts_bulk_s'])} s (through the console: ~"
                     f"{f(p['contacts'] / rate / 60, 0)} min estimated)"))
    rows.append(("provisioning in all (with the first start)", f"{f(p['total_s'])} s"
                 + (f"; snapshot of {p['reused']} reused" if p.get("reused") else "")))
    return "\n".join(["| Provisioning | |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows])


# ---------------------------------------------------------------- main

def dist_identity():
    """The distribution measured: built when, its SHA-256 prefix, and the repository's commit and dirtiness."""
    import hashlib
    h = hashlib.sha256()
    with open(DIST, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    try:
        rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                             timeout=30).stdout.decode().strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no", "bundles"],
                               capture_output=True, timeout=30).stdout.decode().strip()
    except (OSError, subprocess.TimeoutExpired):
        rev, dirty = "?", ""
    return {"built": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(os.path.getmtime(DIST))),
            "sha256": h.hexdigest()[:12], "commit": rev + (" + uncommitted changes in bundles/" if dirty else "")}


def loadavg():
    try:
        return open("/proc/loadavg").read().split()[:3]
    except OSError:
        return ["?"] * 3


def main():
    ap = argparse.ArgumentParser(description="Confab presence fan-out and login storm benchmark")
    ap.add_argument("--quick", action="store_true", help="small N, for CI (a few minutes with provisioning)")
    ap.add_argument("--only", default="ab", help="a: fan-out, b: login storm (default ab)")
    ap.add_argument("--watchers", help="comma-separated N for (A), e.g. 100,1000,10000")
    ap.add_argument("--storm-users", type=int, help="users signing in for (B)")
    ap.add_argument("--contacts", type=int, help="contacts per user for (B)")
    ap.add_argument("--rounds", type=int, help="PUBLISH rounds per N in (A)")
    ap.add_argument("--window", type=int, help="load client: most operations (sign-ins) in flight")
    ap.add_argument("--sockets", type=int, help="load client: UDP sockets (spread over up to 8 addresses)")
    ap.add_argument("--settle", type=int, help="(B): seconds to watch partial NOTIFYs after the storm")
    ap.add_argument("--steady-wait", type=int,
                    help="seconds before the steady-state memory figures (full: 35, beyond Timer J; quick: 0 = none)")
    ap.add_argument("--port", type=int, default=5060)
    ap.add_argument("--ssh-port", type=int, default=8111)
    ap.add_argument("--heap", default="2g", help="the server's -Xmx (bench.py: 2g; -Xms is 512m)")
    ap.add_argument("--contact-load", choices=["auto", "console", "bulk"], default="auto",
                    help="auto: the console up to 10,000 contacts, else 2,000 through it and the rest in bulk")
    ap.add_argument("--reprovision", action="store_true", help="provision again even if the snapshot matches")
    ap.add_argument("--jfr", action="store_true",
                    help="record the server with JFR per scenario; summaries in bench/work/presence-profile-*.md")
    a = ap.parse_args()
    global JFR
    JFR = a.jfr
    mode = "quick" if a.quick else "full"
    m = dict(MODES[mode])
    if a.watchers:
        m["watchers"] = [int(x) for x in a.watchers.split(",") if x]
    for k in ("storm_users", "contacts", "rounds", "window", "sockets", "settle", "steady_wait"):
        if getattr(a, k) is not None:
            m[k] = getattr(a, k)
    if not os.path.exists(DIST):
        sys.exit(f"presence: {DIST} is missing: build it (mvn -B install -DskipTests) or use bench/presence.sh")
    signal.signal(signal.SIGTERM, lambda *_: (B.stop_all(), sys.exit(143)))
    signal.signal(signal.SIGINT, lambda *_: (B.stop_all(), sys.exit(130)))
    os.makedirs(PWORK, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    load0 = loadavg()
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    srv = Server(a.port, a.ssh_port, a.heap)
    dist_id = dist_identity()
    results = {"mode": mode, "date": started, "params": m, "dist": dist_id}
    try:
        prov = provision(srv, m, a.reprovision, a.contact_load)
        results["provisioning"] = prov
        net = {"min_notify_ms": int(Server.setting("org.confab.presence.cfg", "min.notify.interval.ms", "200")[0]),
               "notify_threads": Server.setting("org.confab.presence.cfg", "notify.threads", "2")[0],
               "rate_limit": Server.setting("org.confab.sip.transport.cfg", "rate.limit.requests", "40")}
        results["config"] = net
        if "a" in a.only:
            results["fanout"] = []
            for n in m["watchers"]:
                if n + 1 > users_needed(m):
                    log(f"A n={n}: skipped, only {users_needed(m)} users provisioned")
                    continue
                results["fanout"].append(fanout(srv, m, n, net))
                if JFR:
                    jfr_summary(f"fanout-{n}")
        if "b" in a.only:
            results["storm"] = storm(srv, m, net)
            if JFR:
                jfr_summary("storm")
    finally:
        B.stop_all()
        results["loadavg"] = [load0, loadavg()]
        with open(RESULTS_JSON, "w") as fh:
            json.dump(results, fh, indent=1)
    load1 = results["loadavg"][1]
    head = (f"Confab presence benchmark, {mode} mode, {started}; {os.cpu_count()} cores (nproc), {cpu_model}; "
            f"load average {' '.join(load0)} before, {' '.join(load1)} after (1/5/15 min); all on 127.0.0.1 "
            f"(load client: {m['sockets']} UDP sockets on {min(8, m['sockets'])} loopback addresses, "
            f"window {m['window']}).\n\nServer JVM: -Xmx{a.heap} -Xms512m (EXTRA_JAVA_OPTS).\n\nDistribution: `{os.path.relpath(DIST, REPO)}` built {dist_id['built']}, "
            f"sha256 {dist_id['sha256']}…, working tree at {dist_id['commit']}.\n\nServer settings: shipped defaults except `digest.algorithms = MD5` (as bench.py); "
            f"`min.notify.interval.ms` = {net['min_notify_ms']} ({'default' if Server.setting('org.confab.presence.cfg', 'min.notify.interval.ms', '')[1] == 'default' else 'set'}), "
            f"`notify.threads` = {net['notify_threads']}; transport rate limit unchanged "
            f"(`rate.limit.requests` = {net['rate_limit'][0]}): every simulated user REGISTERs from its socket first, "
            f"which exempts the source address.")
    parts = [head, provisioning_rows(results["provisioning"])]
    if results.get("fanout"):
        parts.append(fanout_rows(results["fanout"]))
    if results.get("storm"):
        parts.append(storm_rows(results["storm"]))
    text = "\n\n".join(parts) + "\n"
    print()
    print(text)
    with open(RESULTS_MD, "w") as fh:
        fh.write(text)
    log(f"written {RESULTS_MD} and {RESULTS_JSON}")


if __name__ == "__main__":
    main()
