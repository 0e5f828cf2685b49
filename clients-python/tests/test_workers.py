"""Worker processes and threads: graceful stop with requests queued, reload, replacement of dead
workers, boot errors, an orphaned worker, a daemon restart."""

import json
import os
import signal
import tempfile
import threading
import time
import unittest

from .support import Daemon, HandlerProcess, alive, request, wait_until

daemon = None


def setUpModule():
    global daemon
    daemon = Daemon()


def tearDownModule():
    daemon.stop()


class Load:
    """Requests from background threads; every answer (or failure) is recorded."""

    def __init__(self, port):
        self.port = port
        self.results = {}        # request index -> (status, json body) or the exception
        self.lock = threading.Lock()
        self.threads = []

    def fire(self, index, path):
        t = threading.Thread(target=self._one, args=(index, path), daemon=True)
        self.threads.append(t)
        t.start()

    def _one(self, index, path):
        try:
            r = request(self.port, "GET", path, timeout=120)
            outcome = (r.status, json.loads(r.body) if r.status == 200 else r.body)
        except Exception as e:  # recorded: the test asserts there are none
            outcome = e
        with self.lock:
            self.results[index] = outcome

    def done(self):
        with self.lock:
            return len(self.results)

    def join(self, timeout=120):
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return self.results


class GracefulStop(unittest.TestCase):
    def test_queued_requests_survive_a_stop_and_are_served_after_the_restart(self):
        first = HandlerProcess(daemon, "flask_app:app", "--workers", "2")
        self.addCleanup(first.stop)
        load = Load(daemon.http_port)
        for i in range(12):
            load.fire(i, "/slow/%d?s=0.3" % i)
        wait_until(lambda: load.done() >= 2, what="the first answers")
        first.signal(signal.SIGTERM)
        self.assertEqual(first.wait(30), 0)
        answered_by_first = dict(load.results)
        self.assertLess(len(answered_by_first), 12, "nothing was left queued: the test proves nothing")
        self.assertIn("stopping", first.output.text())

        second = HandlerProcess(daemon, "flask_app:app", "--workers", "2")
        self.addCleanup(second.stop)
        results = load.join()
        self.assertEqual(sorted(results), list(range(12)))
        for i, outcome in results.items():
            self.assertIsInstance(outcome, tuple, "request %d failed: %r" % (i, outcome))
            self.assertEqual(outcome[0], 200, "request %d: %r" % (i, outcome))
            self.assertEqual(outcome[1]["i"], i)
        late = {results[i][1]["pid"] for i in results if i not in answered_by_first}
        self.assertTrue(late.isdisjoint({o[1]["pid"] for o in answered_by_first.values()}))

    def test_sigint_stops_too(self):
        h = HandlerProcess(daemon, "flask_app:app", "--workers", "2", "--threads", "2")
        self.addCleanup(h.stop)
        workers = h.workers()
        h.signal(signal.SIGINT)
        self.assertEqual(h.wait(30), 0)
        wait_until(lambda: not any(alive(p) for p in workers), 10, "the workers to exit")


class Reload(unittest.TestCase):
    def test_sighup_loads_new_code_and_loses_no_request(self):
        version = tempfile.NamedTemporaryFile("w", suffix=".version", delete=False)
        version.write("v1")
        version.close()
        self.addCleanup(os.unlink, version.name)
        h = HandlerProcess(daemon, "flask_app:app", "--workers", "2", env={"APP_VERSION_FILE": version.name})
        self.addCleanup(h.stop)
        old = h.workers()
        stop = threading.Event()
        self.addCleanup(stop.set)
        load = Load(daemon.http_port)
        counter = iter(range(10**6))

        def keep_asking():
            while not stop.is_set():
                i = next(counter)
                load._one(i, "/slow/%d?s=0.02" % i)

        askers = [threading.Thread(target=keep_asking, daemon=True) for _ in range(4)]
        for t in askers:
            t.start()
        wait_until(lambda: load.done() >= 10, what="answers from the first generation")
        with open(version.name, "w") as f:
            f.write("v2")
        h.signal(signal.SIGHUP)
        wait_until(lambda: not any(alive(p) for p in old), 30, "the old workers to retire")
        settled = load.done()
        wait_until(lambda: load.done() >= settled + 10, what="answers from the new generation")
        stop.set()
        for t in askers:
            t.join(30)
        new = h.workers()

        self.assertEqual(len(new), 2)
        self.assertTrue(new.isdisjoint(old))
        failures = {i: o for i, o in load.results.items() if not isinstance(o, tuple) or o[0] != 200}
        self.assertEqual(failures, {})
        versions = [load.results[i][1]["version"] for i in sorted(load.results)]
        self.assertEqual(versions[0], "v1")
        self.assertEqual(versions[-1], "v2")
        self.assertEqual({load.results[i][1]["pid"] for i in sorted(load.results)[-8:]} - new, set())
        self.assertIn("reloading", h.output.text())


class Supervision(unittest.TestCase):
    def test_a_killed_worker_is_replaced(self):
        h = HandlerProcess(daemon, "flask_app:app", "--workers", "2")
        self.addCleanup(h.stop)
        victim = min(h.workers())
        mark = len(h.output.lines)
        os.kill(victim, signal.SIGKILL)
        replacement = int(h.output.wait_for(r"worker (\d+) serving", start=mark).group(1))
        self.assertIn("worker %d exited with status -9" % victim, h.output.text())
        self.assertEqual(len(h.workers()), 2)
        self.assertIn(replacement, h.workers())
        self.assertNotIn(victim, h.workers())
        pids = set()
        for _ in range(50):  # ready workers line up, so they take turns
            pids.add(json.loads(request(daemon.http_port, "GET", "/pid").body)["pid"])
            if pids == h.workers():
                break
        self.assertEqual(pids, h.workers())

    def test_an_app_that_cannot_be_loaded_stops_the_master_with_status_1(self):
        h = HandlerProcess(daemon, "no_such_module:app", "--workers", "2", wait=False)
        self.addCleanup(h.stop)
        self.assertEqual(h.wait(30), 1)
        h.output.wait_for("stopped")
        self.assertIn("cannot load no_such_module:app", h.output.text())
        self.assertIn("ModuleNotFoundError", h.output.text())

    def test_workers_leave_when_the_master_is_killed(self):
        h = HandlerProcess(daemon, "flask_app:app", "--workers", "2")
        self.addCleanup(h.stop)
        workers = h.workers()
        h.signal(signal.SIGKILL)
        h.wait(10)
        wait_until(lambda: not any(alive(p) for p in workers), 10, "orphaned workers to exit")

    def test_threads_serve_requests_side_by_side_on_their_own_connections(self):
        h = HandlerProcess(daemon, "flask_app:app", "--workers", "1", "--threads", "3")
        self.addCleanup(h.stop)
        load = Load(daemon.http_port)
        started = time.monotonic()
        for i in range(3):
            load.fire(i, "/slow/%d?s=1.0" % i)
        results = load.join()
        elapsed = time.monotonic() - started
        self.assertEqual({o[0] for o in results.values()}, {200})
        self.assertEqual(len({o[1]["pid"] for o in results.values()}), 1)
        # one after the other would take 3 s
        self.assertLess(elapsed, 2.5, "three 1 s requests took %.2f s: not served side by side" % elapsed)


class DaemonRestart(unittest.TestCase):
    def test_the_handler_reconnects_when_the_daemon_comes_back(self):
        first = Daemon()
        self.addCleanup(first.stop)
        h = HandlerProcess(first, "flask_app:app", "--workers", "2")
        self.addCleanup(h.stop)  # cleanups run last-in first-out: the handler stops first
        self.assertEqual(request(first.http_port, "GET", "/").body, b"Hello, World!")
        first.stop(keep_directory=True)
        mark = len(h.output.lines)
        h.output.wait_for(r"retrying", start=mark)
        second = Daemon(directory=first.dir)  # the same socket path
        self.addCleanup(second.stop)
        r = request(second.http_port, "GET", "/", timeout=60)
        self.assertEqual((r.status, r.body), (200, b"Hello, World!"))


if __name__ == "__main__":
    unittest.main()
