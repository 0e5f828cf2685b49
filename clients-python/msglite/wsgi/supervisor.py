"""The master process: forks the worker processes, restarts those that die, and turns signals
into graceful stops and reloads.

- SIGTERM, SIGINT: every worker finishes the request it has, stops readying and exits; then the
  master exits. Requests not yet taken stay queued in the daemon for the next worker. A second
  SIGTERM/SIGINT, or the graceful timeout, kills what is left.
- SIGHUP: a new generation of workers loads the app afresh; each old worker is told to stop as
  soon as a new one is serving, so capacity never drops. If the new app cannot be loaded, the old
  workers that are still there keep serving.

The master sleeps in one ``select`` on two pipes: the signal wake-up pipe
(``signal.set_wakeup_fd``: a signal that arrives at any moment leaves its number there, so none
is missed between a check and the wait) and a report pipe on which each worker writes its pid
once it is serving (standard signals would merge reports that arrive together).
"""

import logging
import os
import selectors
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass

from .loader import load_app
from .worker import Worker, parent_watch

log = logging.getLogger("msglite.wsgi")

BOOT_ERROR = 3                # a worker's exit status when the app cannot be loaded
EARLY_DEATH_SECONDS = 1.0     # a worker that dies younger than this is restarted after this long
_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGCHLD)


@dataclass
class Options:
    app: str
    connect: str = "/tmp/msglite.socket"
    request_address: str = "msglite.httpRequests"
    workers: int = 1
    threads: int = 1
    script_name: str = ""
    graceful_timeout: float = 30.0


class Supervisor:
    def __init__(self, options: Options):
        self.options = options
        self.current = {}        # pid -> start time, the generation that serves
        self.retiring = set()    # pids told to stop
        self.outgoing = []       # previous generation, during a reload: stopped as new ones serve
        self.serving = set()     # pids that reported they are serving
        self.respawn_at = []     # monotonic times at which to start a replacement worker
        self.stopping_until = None
        self.announced = False

    def run(self) -> int:
        self._wake_r, self._wake_w = _pipe()
        self._report_r, self._report_w = _pipe()
        os.set_blocking(self._report_w, True)  # workers' one-line reports must not be dropped
        old_wakeup = signal.set_wakeup_fd(self._wake_w)
        old_handlers = {signo: signal.signal(signo, _note) for signo in _SIGNALS}
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_r, selectors.EVENT_READ)
        self._selector.register(self._report_r, selectors.EVENT_READ)
        try:
            for _ in range(self.options.workers):
                self._spawn()
            return self._loop()
        finally:
            signal.set_wakeup_fd(old_wakeup)
            for signo, handler in old_handlers.items():
                signal.signal(signo, handler)
            self._selector.close()
            for fd in (self._wake_r, self._wake_w, self._report_r, self._report_w):
                os.close(fd)

    def _loop(self) -> int:
        status = 0
        while self.current or self.retiring or self.outgoing or (self.respawn_at and self.stopping_until is None):
            for key, _ in self._selector.select(self._wait_seconds()):
                data = _drain(key.fd)
                if key.fd == self._wake_r:
                    for signo in data:
                        status = self._on_signal(signo) or status
                else:
                    for pid in data.split():
                        self._on_serving(int(pid))
            status = self._reap() or status
            now = time.monotonic()
            if self.stopping_until is not None and now >= self.stopping_until:
                log.warning("graceful timeout: killing %d worker(s)", len(self._all()))
                self._signal_all(signal.SIGKILL)
                self.stopping_until = float("inf")
            while self.respawn_at and self.respawn_at[0] <= now and self.stopping_until is None:
                self.respawn_at.pop(0)
                self._spawn()
        log.info("stopped")
        return status

    def _wait_seconds(self) -> float:
        deadlines = list(self.respawn_at[:1])
        if self.stopping_until not in (None, float("inf")):
            deadlines.append(self.stopping_until)
        if not deadlines:
            return 60.0
        return max(0.0, min(deadlines) - time.monotonic())

    # --- signals -----------------------------------------------------------------------------

    def _on_signal(self, signo: int) -> int:
        if signo in (signal.SIGTERM, signal.SIGINT):
            if self.stopping_until is None:
                log.info("stopping: workers finish their requests (up to %gs)", self.options.graceful_timeout)
                self.stopping_until = time.monotonic() + self.options.graceful_timeout
                self.respawn_at.clear()
                self.outgoing.clear()
                self._signal_all(signal.SIGTERM)
            else:
                log.warning("second stop signal: killing %d worker(s)", len(self._all()))
                self._signal_all(signal.SIGKILL)
        elif signo == signal.SIGHUP and self.stopping_until is None:
            self._reload()
        return 0

    def _reload(self) -> None:
        log.info("reloading: starting %d new worker(s)", self.options.workers)
        self.outgoing.extend(self.current)
        self.current = {}
        self.respawn_at.clear()
        for _ in range(self.options.workers):
            self._spawn()

    def _on_serving(self, pid: int) -> None:
        if pid not in self.current or pid in self.serving:
            return
        self.serving.add(pid)
        if self.announced:
            log.info("worker %d serving", pid)
        if self.outgoing:
            self._retire(self.outgoing.pop(0))
        if not self.announced and self.serving.issuperset(self.current):
            self.announced = True
            o = self.options
            log.info("%d worker(s) x %d thread(s) serving %s from %s on %s", o.workers, o.threads, o.app,
                     o.request_address, o.connect)

    def _retire(self, pid: int) -> None:
        self.retiring.add(pid)
        _kill(pid, signal.SIGTERM)

    def _signal_all(self, signo) -> None:
        if signo == signal.SIGTERM:
            self.retiring.update(self._all())
        for pid in self._all():
            _kill(pid, signo)

    def _all(self):
        return set(self.current) | self.retiring | set(self.outgoing)

    # --- children ----------------------------------------------------------------------------

    def _reap(self) -> int:
        status = 0
        while True:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return status
            if pid == 0:
                return status
            code = os.waitstatus_to_exitcode(wait_status) if hasattr(os, "waitstatus_to_exitcode") \
                else (os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else -os.WTERMSIG(wait_status))
            status = self._on_exit(pid, code) or status

    def _on_exit(self, pid: int, code: int) -> int:
        started = self.current.pop(pid, None)
        self.serving.discard(pid)
        if pid in self.retiring or pid in self.outgoing:
            self.retiring.discard(pid)
            if pid in self.outgoing:
                self.outgoing.remove(pid)
            return 0
        if started is None or self.stopping_until is not None:
            return 0
        if code == BOOT_ERROR:
            return self._on_boot_error()
        log.warning("worker %d exited with status %d; starting another", pid, code)
        age = time.monotonic() - started
        self.respawn_at.append(time.monotonic() + (EARLY_DEATH_SECONDS if age < EARLY_DEATH_SECONDS else 0))
        return 0

    def _on_boot_error(self) -> int:
        if self.outgoing:
            log.error("reload failed: the app could not be loaded; the old workers keep serving")
            self._signal_generation_stop(self.current)
            self.current = {pid: time.monotonic() for pid in self.outgoing}
            self.serving.update(self.outgoing)
            self.outgoing = []
            return 0
        if not self.serving:
            log.error("the app could not be loaded: stopping")
            self.stopping_until = time.monotonic() + self.options.graceful_timeout
            self._signal_all(signal.SIGTERM)
            return 1
        log.error("a worker could not load the app; %d worker(s) still serving", len(self.serving))
        return 0

    def _signal_generation_stop(self, pids) -> None:
        for pid in list(pids):
            self._retire(pid)

    def _spawn(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        # Blocked across the fork, so a signal sent to a brand-new worker waits for the worker's
        # own handlers instead of hitting the master's.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        pid = os.fork()
        if pid:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            self.current[pid] = time.monotonic()
            return
        code = 1
        try:
            signal.set_wakeup_fd(-1)
            self._selector.close()
            for fd in (self._wake_r, self._wake_w, self._report_r):
                os.close(fd)
            code = worker_process(self.options, self._report_w, mask)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)


def worker_process(options: Options, report_fd: int, signal_mask) -> int:
    """The body of a forked worker process; returns its exit status."""
    stop = threading.Event()

    def request_stop(signo, frame):
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # reloads are the master's business
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, signal_mask)
    try:
        app = load_app(options.app)
    except Exception:
        log.error("cannot load %s:\n%s", options.app, traceback.format_exc().rstrip())
        return BOOT_ERROR

    reported = threading.Lock()

    def report_serving():
        if reported.acquire(blocking=False):
            os.write(report_fd, b"%d\n" % os.getpid())

    workers = [Worker(app, options.connect, options.request_address, stop, parent_watch(stop),
                      options.script_name, multithread=options.threads > 1,
                      multiprocess=options.workers > 1, on_serving=report_serving)
               for _ in range(options.threads)]
    if len(workers) == 1:
        workers[0].serve_forever()
        return 0
    threads = [threading.Thread(target=w.serve_forever, name="msglite-wsgi-%d" % i, daemon=True)
               for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()  # signals still reach request_stop: joins are interruptible on POSIX
    return 0


def _kill(pid: int, signo) -> None:
    try:
        os.kill(pid, signo)
    except ProcessLookupError:
        pass


def _note(signo, frame):
    """Signals are handled from the wake-up pipe; this handler only makes them arrive there."""


def _pipe():
    r, w = os.pipe()
    os.set_blocking(r, False)
    os.set_blocking(w, False)
    return r, w


def _drain(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
