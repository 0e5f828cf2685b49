"""The client against a real daemon: every command, binary bodies, timeouts and errors."""

import socket
import threading
import time
import unittest
import uuid
from unittest import mock

import msglite
import msglite.client
from msglite import Client, Message, MsgliteError, ProtocolError

from .support import Daemon

daemon = None
MAX_BODY = 2 * 1024 * 1024
MAX_QUEUE = 5


def setUpModule():
    global daemon
    daemon = Daemon("-max-body-bytes", str(MAX_BODY), "-max-queue-messages", str(MAX_QUEUE))


def tearDownModule():
    daemon.stop()


def fresh(name="a"):
    return "%s.%s" % (name, uuid.uuid4().hex)


class SendAndReady(unittest.TestCase):
    def test_send_then_ready_delivers_body_timeout_and_addresses(self):
        to, reply = fresh(), fresh("r")
        with Client(daemon.tcp) as c:
            c.send(b"hello", 7, to, reply)
            m = c.ready(5, to)
        self.assertEqual(m, Message(b"hello", 7, to, reply))

    def test_str_body_is_sent_as_utf8_and_text_decodes_it(self):
        to = fresh()
        with Client(daemon.socket_path) as c:
            c.send("grüße ✓", 5, to)
            m = c.ready(5, to)
        self.assertEqual(m.body, "grüße ✓".encode("utf-8"))
        self.assertEqual(m.text, "grüße ✓")
        self.assertIsNone(m.reply)

    def test_every_byte_value_and_line_ends_inside_a_body_survive(self):
        to = fresh()
        body = bytes(range(256)) * 4 + b"\r\n.\r\n> 3 1 x\r\n"
        with Client(daemon.tcp) as c:
            c.send(body, 5, to)
            self.assertEqual(c.ready(5, to).body, body)

    def test_empty_and_one_mebibyte_bodies(self):
        to = fresh()
        big = bytes(i * 7 % 256 for i in range(1024 * 1024))
        with Client(daemon.tcp) as c:
            c.send(b"", 5, to)
            c.send(big, 5, to)
            c.send(memoryview(b"view"), 5, to)
            self.assertEqual(c.ready(5, to).body, b"")
            self.assertEqual(c.ready(5, to).body, big)
            self.assertEqual(c.ready(5, to).body, b"view")

    def test_unix_and_tcp_clients_share_the_exchange(self):
        to = fresh()
        with Client("unix:" + daemon.socket_path) as sender, Client("tcp:" + daemon.tcp) as receiver:
            sender.send(b"across", 5, to)
            self.assertEqual(receiver.ready(5, to).body, b"across")

    def test_ready_takes_the_first_listed_address_that_has_a_message(self):
        first, second = fresh(), fresh()
        with Client(daemon.tcp) as c:
            c.send(b"2", 5, second)
            c.send(b"1", 5, first)
            self.assertEqual(c.ready(5, first, second).body, b"1")
            self.assertEqual(c.ready(5, first, second).body, b"2")

    def test_a_waiting_ready_gets_a_message_sent_later(self):
        to = fresh()
        with Client(daemon.tcp) as receiver:
            timer = threading.Timer(0.2, lambda: _send_one(b"later", to))
            timer.start()
            self.assertEqual(receiver.ready(5, to).body, b"later")
            timer.join()


def _send_one(body, to):
    with Client(daemon.tcp) as c:
        c.send(body, 5, to)


class Timeouts(unittest.TestCase):
    def test_ready_returns_none_after_its_timeout(self):
        with Client(daemon.tcp) as c:
            started = time.monotonic()
            self.assertIsNone(c.ready(1, fresh()))
            self.assertGreaterEqual(time.monotonic() - started, 0.9)

    def test_ready_with_timeout_zero_polls(self):
        to = fresh()
        with Client(daemon.tcp) as c:
            self.assertIsNone(c.ready(0, to))
            c.send(b"x", 5, to)
            self.assertEqual(c.ready(0, to).body, b"x")

    def test_query_without_an_answer_returns_none(self):
        with Client(daemon.tcp) as c:
            self.assertIsNone(c.query(b"anyone?", 1, fresh("nobody")))

    def test_a_silent_peer_raises_timeout_error_instead_of_hanging(self):
        with FakeDaemon(b"") as fake, mock.patch.object(msglite.client, "ANSWER_GRACE_SECONDS", 0.3):
            c = Client(fake.address)
            with self.assertRaises(TimeoutError):
                c.ready(0, "x")
            self.assertTrue(c.closed)


class Query(unittest.TestCase):
    def test_query_gets_the_answer_sent_to_its_reply_address(self):
        service = fresh("svc")

        def serve():
            with Client(daemon.tcp) as worker:
                request = worker.ready(5, service)
                worker.send(request.body.upper(), 5, request.reply)

        t = threading.Thread(target=serve)
        t.start()
        with Client(daemon.socket_path) as c:
            answer = c.query(b"ping \x00\xff", 5, service)
        t.join()
        self.assertEqual(answer.body, b"PING \x00\xff")
        self.assertIsNone(answer.reply)


class Quit(unittest.TestCase):
    def test_quit_closes_both_ends(self):
        c = Client(daemon.tcp)
        c.quit()
        self.assertTrue(c.closed)
        with self.assertRaises(ConnectionError):
            c.send(b"x", 1, "after.quit")

    def test_the_daemon_closes_after_quit(self):
        with socket.create_connection(_host_port(daemon.tcp)) as s:
            s.sendall(b".\r\n")
            s.settimeout(5)
            self.assertEqual(s.recv(10), b"")

    def test_context_manager_sends_buffered_messages_and_quits(self):
        to = fresh()
        with Client(daemon.tcp) as c:
            c.send(b"buffered", 5, to, flush=False)
        self.assertTrue(c.closed)
        with Client(daemon.tcp) as c:
            self.assertEqual(c.ready(5, to).body, b"buffered")

    def test_context_manager_closes_on_an_exception(self):
        with self.assertRaises(KeyError):
            with Client(daemon.tcp) as c:
                raise KeyError("x")
        self.assertTrue(c.closed)


class Pipelining(unittest.TestCase):
    def test_answers_come_back_in_command_order(self):
        a, b = fresh(), fresh()
        with Client(daemon.tcp) as c:
            c.send(b"A", 5, a, flush=False)
            c.send(b"B", 5, b, flush=False)
            c.write_ready(5, b)
            c.write_ready(0, fresh("empty"))
            c.write_ready(5, a)
            self.assertEqual(c.pending_answers, 3)
            self.assertEqual(c.read_answer().body, b"B")
            self.assertIsNone(c.read_answer())
            self.assertEqual(c.read_answer().body, b"A")

    def test_ready_refuses_while_answers_are_unread(self):
        with Client(daemon.tcp) as c:
            c.write_ready(0, fresh())
            with self.assertRaises(RuntimeError):
                c.ready(0, fresh())
            self.assertIsNone(c.read_answer())
            with self.assertRaises(RuntimeError):
                c.read_answer()


class DaemonErrors(unittest.TestCase):
    def test_too_many_addresses_in_a_ready(self):
        c = Client(daemon.tcp)
        with self.assertRaises(MsgliteError) as caught:
            c.ready(1, *["a%d" % i for i in range(9)])
        self.assertEqual(caught.exception.text, "too many addresses in ready (limit 8)")
        self.assertTrue(c.closed)

    def test_body_too_large(self):
        c = Client(daemon.tcp)
        with self.assertRaises(MsgliteError) as caught:
            c.send(b"x" * (MAX_BODY + 1), 5, fresh())
            c.ready(0, fresh())
        self.assertEqual(caught.exception.text, "body too large (limit %d bytes)" % MAX_BODY)

    def test_queue_full_surfaces_at_the_next_answer(self):
        to = fresh()
        c = Client(daemon.tcp)
        with self.assertRaises(MsgliteError) as caught:
            for _ in range(MAX_QUEUE + 1):
                c.send(b"m", 30, to)
            c.ready(0, fresh())
        self.assertEqual(caught.exception.text, "queue full on %s (limit %d messages)" % (to, MAX_QUEUE))
        self.assertIn("msglite daemon error: queue full", str(caught.exception))

    def test_error_line_from_any_peer(self):
        with FakeDaemon(b"- invalid command\r\n") as fake:
            with self.assertRaises(MsgliteError) as caught:
                Client(fake.address).ready(0, "x")
        self.assertEqual(caught.exception.text, "invalid command")


class PeerFaults(unittest.TestCase):
    def test_garbage_answer_is_a_protocol_error(self):
        with FakeDaemon(b"HTTP/1.1 400 Bad Request\r\n") as fake:
            c = Client(fake.address)
            with self.assertRaises(ProtocolError):
                c.ready(0, "x")
            self.assertTrue(c.closed)

    def test_body_without_line_end_is_a_protocol_error(self):
        with FakeDaemon(b"> 3 1 x\r\nabcXY") as fake:
            with self.assertRaises(ProtocolError):
                Client(fake.address).ready(0, "x")

    def test_close_inside_a_body_is_a_connection_error(self):
        with FakeDaemon(b"> 10 1 x\r\nabc", close=True) as fake:
            with self.assertRaises(ConnectionError):
                Client(fake.address).ready(0, "x")

    def test_close_before_the_answer_is_a_connection_error(self):
        with FakeDaemon(b"", close=True) as fake:
            with self.assertRaises(ConnectionError):
                Client(fake.address).ready(0, "x")

    def test_connection_refused(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with self.assertRaises(ConnectionRefusedError):
            Client("127.0.0.1:%d" % port)


class ArgumentChecks(unittest.TestCase):
    def test_bad_arguments_fail_before_anything_is_sent(self):
        with Client(daemon.tcp) as c:
            for bad in ("", "two words", "tab\there", "line\nend"):
                with self.assertRaises(ValueError):
                    c.send(b"x", 1, bad)
            for bad in (-1, 2**31, 1.5, True, "5"):
                with self.assertRaises(ValueError):
                    c.ready(bad, "a")
            with self.assertRaises(TypeError):
                c.send(12, 1, "a")
            with self.assertRaises(ValueError):
                c.ready(1)
            self.assertIsNone(c.ready(0, fresh()))  # still in step with the daemon

    def test_bad_address_strings(self):
        for bad in ("nohost", "host:", ":123", "host:port"):
            with self.assertRaises(ValueError):
                Client(bad)

    def test_package_exports(self):
        self.assertIs(msglite.connect, msglite.client.connect)
        with msglite.connect(daemon.tcp) as c:
            self.assertIsNone(c.ready(0, fresh()))


class FakeDaemon:
    """A one-connection server that answers the first bytes it reads with ``answer``."""

    def __init__(self, answer, close=False):
        self.answer, self.close = answer, close
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.address = "127.0.0.1:%d" % self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.server.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(self.answer)
            if not self.close:
                conn.settimeout(10)
                try:
                    conn.recv(4096)  # until the client gives up
                except OSError:
                    pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.server.close()
        self.thread.join(10)


def _host_port(address):
    host, _, port = address.rpartition(":")
    return host, int(port)


if __name__ == "__main__":
    unittest.main()
