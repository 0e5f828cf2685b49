"""Test helpers: a real msglite daemon and a real handler process, each started as a child and
waited for by the lines it prints (never by sleeping), plus small HTTP helpers."""

import http.client
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

TESTS = os.path.dirname(os.path.abspath(__file__))
CLIENT_ROOT = os.path.dirname(TESTS)                   # clients-python/
REPO_ROOT = os.path.dirname(CLIENT_ROOT)
JAR = os.path.join(REPO_ROOT, "server", "target", "msglite-server.jar")
APPS = os.path.join(TESTS, "apps")
START_TIMEOUT_SECONDS = 60


class OutputWatcher:
    """Reads a child's output on a thread (so its pipe never fills) and lets tests wait for lines."""

    def __init__(self, stream, echo_prefix=None):
        self.lines = []
        self._new = threading.Condition()
        self._echo = echo_prefix
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream):
        with stream:
            self._read(stream)

    def _read(self, stream):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if self._echo and os.environ.get("MSGLITE_TEST_VERBOSE"):
                print(self._echo + line, file=sys.stderr)
            with self._new:
                self.lines.append(line)
                self._new.notify_all()
        with self._new:
            self.lines.append(None)  # end of output
            self._new.notify_all()

    def wait_for(self, pattern, timeout=START_TIMEOUT_SECONDS, start=0):
        """The first match of ``pattern`` in a line at or after index ``start``."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._new:
            i = start
            while True:
                while i < len(self.lines):
                    line = self.lines[i]
                    if line is None:
                        raise AssertionError("output ended without %r; it was:\n%s" % (pattern, self.text()))
                    m = regex.search(line)
                    if m:
                        return m
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no %r within %ss; output:\n%s" % (pattern, timeout, self.text()))
                self._new.wait(left)

    def text(self):
        return "\n".join(l for l in self.lines if l is not None)

    def join(self, timeout=10):
        """Waits for the end of the output (every process holding the pipe has exited)."""
        self._thread.join(timeout)


class Daemon:
    """The msglite daemon on ephemeral ports: TCP, a Unix socket and the HTTP proxy."""

    def __init__(self, *extra_args, directory=None):
        if not os.path.isfile(JAR):
            raise AssertionError("%s is missing: build it with mvn -DskipTests -pl server package" % JAR)
        self.dir = directory or tempfile.mkdtemp(prefix="msglite-py-")
        self.socket_path = os.path.join(self.dir, "msglite.socket")
        cmd = ["java", "-jar", JAR, "-network", "tcp", "-address", "127.0.0.1:0",
               "-listen", "unix:" + self.socket_path, "-http-address", "127.0.0.1:0",
               "-monitor-address", "", "-metrics-address", ""] + list(extra_args)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.output = OutputWatcher(self.proc.stdout, "daemon: ")
        try:
            self.tcp = self.output.wait_for(r"listening on (127\.0\.0\.1:\d+) \(tcp\)$").group(1)
            self.output.wait_for(r"listening on \S+ \(unix\)$")
            self.http_port = int(self.output.wait_for(r"HTTP proxy listening on 127\.0\.0\.1:(\d+)").group(1))
        except BaseException:
            self.stop()
            raise

    def stop(self, keep_directory=False):
        stop_process(self.proc)
        self.output.join()
        if not keep_directory:
            shutil.rmtree(self.dir, ignore_errors=True)


class HandlerProcess:
    """``python3 -m msglite.wsgi`` as a child; ready once the master says its workers serve."""

    def __init__(self, daemon, app, *args, cwd=APPS, wait=True, env=None):
        child_env = dict(os.environ, PYTHONPATH=CLIENT_ROOT, PYTHONUNBUFFERED="1", **(env or {}))
        cmd = [sys.executable, "-m", "msglite.wsgi", "--connect", daemon.socket_path] + list(args) + [app]
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=child_env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.output = OutputWatcher(self.proc.stdout, "handler: ")
        if wait:
            try:
                self.wait_serving()
            except BaseException:
                self.stop()
                raise

    def wait_serving(self, start=0):
        return self.output.wait_for(r"serving ", start=start)

    @property
    def pid(self):
        return self.proc.pid

    def workers(self):
        return child_pids(self.proc.pid)

    def signal(self, signo):
        self.proc.send_signal(signo)

    def wait(self, timeout=30):
        return self.proc.wait(timeout)

    def stop(self):
        stop_process(self.proc)
        self.output.join()


def stop_process(proc, timeout=30):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def child_pids(parent):
    """Live children of ``parent``, from /proc (Linux)."""
    pids = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        if int(fields[1]) == parent and fields[0] != b"Z":
            pids.add(int(entry))
    return pids


def alive(pid):
    """True while ``pid`` runs (a zombie counts as gone: its parent may never reap it)."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2:].split()[0] != b"Z"


def wait_until(condition, timeout=30, what="condition"):
    """Polls ``condition`` (bounded) for states no process announces."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers    # list of (name, value) as received
        self.body = body

    def header(self, name):
        values = self.all(name)
        return values[0] if values else None

    def all(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8")


def request(port, method, path, body=None, headers=None, timeout=30, encode_chunked=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {}, encode_chunked=encode_chunked)
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()
