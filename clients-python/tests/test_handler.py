"""The WSGI handler in this process, through the real daemon and proxy with real HTTP requests.

Apps under /v/ run inside ``wsgiref.validate.validator``, with its warnings turned into errors:
any PEP 3333 violation by the handler becomes a 500 and fails the test.
"""

import hashlib
import http.client
import json
import logging
import os
import sys
import tempfile
import threading
import unittest
import warnings
from wsgiref.validate import WSGIWarning, validator

from msglite import Client
from msglite.wsgi import Worker

from .support import Daemon, request, wait_until

daemon = None
closes = []          # what each iterable's close() recorded, in order
logged = []          # the handler's log records (kept off the test output)


class Recorder(logging.Handler):
    def emit(self, record):
        logged.append(record)


def echo_app(environ, start_response):
    """Echoes the request as JSON; reads the body the way the validator insists (one argument)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    environ["wsgi.errors"].write("")  # exercised (the validator checks it), kept quiet
    environ["wsgi.errors"].flush()
    cgi = {k: v for k, v in environ.items() if isinstance(v, str)}
    flags = {k: environ[k] for k in ("wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once",
                                     "wsgi.version", "wsgi.url_scheme", "wsgi.input_terminated")}
    out = json.dumps({"cgi": cgi, "flags": flags, "body_sha256": hashlib.sha256(body).hexdigest(),
                      "body_length": len(body), "request_id": environ["msglite.request_id"]}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
    return [out]


def raw_echo_app(environ, start_response):
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return [body]


def writer_app(environ, start_response):
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    write(b"written ")
    write(b"")
    return iter([b"then ", b"", b"returned"])


def big_app(environ, start_response):
    size = int(environ["QUERY_STRING"])
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return [bytes(i % 251 for i in range(size))]


class Recorded:
    """An iterable whose close() is recorded, failing after ``fail_after`` pieces if given."""

    def __init__(self, name, pieces, fail_after=None):
        self.name, self.pieces, self.fail_after = name, pieces, fail_after

    def __iter__(self):
        for i, piece in enumerate(self.pieces):
            if i == self.fail_after:
                raise RuntimeError("failing on purpose in " + self.name)
            yield piece

    def close(self):
        closes.append(self.name)


def closing_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return Recorded("ok", [b"a", b"b"])


def failing_iterable_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return Recorded("fails-after-one", [b"first;", b"second"], fail_after=1)


def failing_before_body_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return Recorded("fails-at-once", [b"never"], fail_after=0)


def boom_app(environ, start_response):
    raise KeyError("boom before any header")


def exc_info_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    try:
        raise ValueError("changed my mind")
    except ValueError:
        start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Retry-After", "7")],
                       sys.exc_info())
    return [b"try later"]


def bad_header_app(environ, start_response):
    value = {"/bad/newline": "a\r\nInjected: yes", "/bad/unicode": "snow \u2603"}[environ["PATH_INFO"]]
    start_response("200 OK", [("X-Bad", value)])
    return [b"should not be sent"]


def twice_app(environ, start_response):
    start_response("200 OK", [])
    start_response("200 OK", [])  # without exc_info: an error
    return [b"no"]


FILE_BYTES = bytes(range(256)) * 2400  # 614,400 bytes: several file pieces


def file_app(environ, start_response):
    f = tempfile.TemporaryFile()
    f.write(FILE_BYTES)
    f.seek(0)
    start_response("200 OK", [("Content-Type", "application/octet-stream"),
                              ("Content-Length", str(len(FILE_BYTES)))])
    closes.append("file opened")
    wrapper = environ["wsgi.file_wrapper"](f, 8192)
    original_close = wrapper.close

    def close():
        original_close()
        closes.append("file closed" if f.closed else "file left open")

    wrapper.close = close
    return wrapper


close_gate = threading.Event()


class GatedClose:
    def __iter__(self):
        yield b"do"
        yield b"ne"
        yield b" and more than Content-Length"

    def close(self):
        closes.append("close started")
        close_gate.wait(20)
        closes.append("close finished")


def slow_close_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "4")])
    return GatedClose()


def head_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [b"12345"]


ROUTES = {
    "/v/echo": validator(echo_app), "/v/writer": validator(writer_app), "/v/big": validator(big_app),
    "/v/closing": validator(closing_app), "/v/file": validator(file_app), "/v/head": validator(head_app),
    "/raw": raw_echo_app, "/boom": boom_app, "/exc-info": exc_info_app, "/bad/newline": bad_header_app,
    "/bad/unicode": bad_header_app, "/twice": twice_app, "/fails-after-one": failing_iterable_app,
    "/fails-at-once": failing_before_body_app, "/slow-close": slow_close_app,
}


def dispatch(environ, start_response):
    path = environ["PATH_INFO"]
    app = ROUTES.get(path) or (ROUTES["/v/echo"] if path.startswith("/v/echo") else None)
    if app is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"no route " + path.encode("latin-1")]
    return app(environ, start_response)


recorder = Recorder()


def setUpModule():
    global daemon, stop, threads, warning_filters
    warning_filters = warnings.catch_warnings()
    warning_filters.__enter__()
    warnings.simplefilter("error", WSGIWarning)
    log = logging.getLogger("msglite.wsgi")
    log.addHandler(recorder)
    log.propagate = False
    daemon = Daemon()
    stop = threading.Event()
    # two threads with their own connections, as --threads 2 runs them
    threads = [threading.Thread(target=Worker(dispatch, daemon.socket_path, "msglite.httpRequests", stop,
                                              multithread=True).serve_forever, daemon=True)
               for _ in range(2)]
    for t in threads:
        t.start()


def tearDownModule():
    stop.set()
    for t in threads:
        t.join(10)
    daemon.stop()
    warning_filters.__exit__(None, None, None)
    logging.getLogger("msglite.wsgi").removeHandler(recorder)
    logging.getLogger("msglite.wsgi").propagate = True


def get(path, **kw):
    return request(daemon.http_port, "GET", path, **kw)


class Environ(unittest.TestCase):
    def test_cgi_variables_from_the_envelope(self):
        r = get("/v/echo/a%20b%C3%A9?x=1&y=%C3%A9", headers={"X-Custom": "v", "Accept": "*/*"})
        self.assertEqual(r.status, 200, r.body)
        e = json.loads(r.body)
        cgi = e["cgi"]
        self.assertEqual(cgi["REQUEST_METHOD"], "GET")
        self.assertEqual(cgi["SCRIPT_NAME"], "")
        self.assertEqual(cgi["PATH_INFO"].encode("latin-1").decode("utf-8"), "/v/echo/a bé")
        self.assertEqual(cgi["QUERY_STRING"], "x=1&y=%C3%A9")
        self.assertEqual(cgi["SERVER_NAME"], "127.0.0.1")
        self.assertEqual(cgi["SERVER_PORT"], str(daemon.http_port))
        self.assertEqual(cgi["SERVER_PROTOCOL"], "HTTP/1.1")
        self.assertEqual(cgi["REMOTE_ADDR"], "127.0.0.1")
        self.assertTrue(cgi["REMOTE_PORT"].isdigit())
        self.assertEqual(cgi["HTTP_X_CUSTOM"], "v")
        self.assertEqual(cgi["HTTP_HOST"], "127.0.0.1:%d" % daemon.http_port)
        self.assertNotIn("CONTENT_LENGTH", cgi)
        self.assertNotIn("PATH", cgi)  # the process environment is not request data
        self.assertEqual(e["flags"], {"wsgi.multithread": True, "wsgi.multiprocess": False,
                                      "wsgi.run_once": False, "wsgi.version": [1, 0],
                                      "wsgi.url_scheme": "http", "wsgi.input_terminated": True})
        self.assertTrue(e["request_id"])
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertIsNotNone(r.header("Date"))

    def test_post_body_reaches_wsgi_input(self):
        body = bytes(range(256)) * 3
        r = request(daemon.http_port, "POST", "/v/echo", body=body,
                    headers={"Content-Type": "application/octet-stream"})
        e = json.loads(r.body)
        self.assertEqual((e["body_length"], e["body_sha256"]), (768, hashlib.sha256(body).hexdigest()))
        self.assertEqual(e["cgi"]["CONTENT_LENGTH"], "768")
        self.assertEqual(e["cgi"]["CONTENT_TYPE"], "application/octet-stream")

    def test_chunked_upload_arrives_counted(self):
        pieces = [b"abc" * 1000, b"", b"xyz" * 10]
        r = request(daemon.http_port, "POST", "/v/echo", body=iter(pieces),
                    headers={"Transfer-Encoding": "chunked"}, encode_chunked=True)
        e = json.loads(r.body)
        self.assertEqual(e["body_length"], 3030)
        self.assertEqual(e["cgi"]["CONTENT_LENGTH"], "3030")
        self.assertNotIn("HTTP_TRANSFER_ENCODING", e["cgi"])

    def test_repeated_headers_and_cookies(self):
        conn = http.client.HTTPConnection("127.0.0.1", daemon.http_port, timeout=30)
        conn.putrequest("GET", "/v/echo")
        for name, value in (("X-Multi", "1"), ("X-Multi", "2"), ("Cookie", "a=1"), ("Cookie", "b=2"),
                            ("X_Sneaky", "no")):
            conn.putheader(name, value)
        conn.endheaders()
        cgi = json.loads(conn.getresponse().read())["cgi"]
        conn.close()
        self.assertEqual(cgi["HTTP_X_MULTI"], "1,2")
        self.assertEqual(cgi["HTTP_COOKIE"], "a=1; b=2")
        self.assertNotIn("HTTP_X_SNEAKY", cgi)

    def test_keep_alive_connection_serves_many_requests(self):
        conn = http.client.HTTPConnection("127.0.0.1", daemon.http_port, timeout=30)
        try:
            for i in range(20):
                conn.request("GET", "/v/echo/%d" % i)
                r = conn.getresponse()
                self.assertEqual(json.loads(r.read())["cgi"]["PATH_INFO"], "/v/echo/%d" % i)
        finally:
            conn.close()


class Responses(unittest.TestCase):
    def test_write_callable_then_iterable(self):
        r = get("/v/writer")
        self.assertEqual((r.status, r.body), (200, b"written then returned"))
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")

    def test_binary_request_and_response_round_trip(self):
        body = os.urandom(100000)
        r = request(daemon.http_port, "PUT", "/raw", body=body)
        self.assertEqual(r.body, body)

    def test_response_bigger_than_one_message_is_split(self):
        size = 3 * 1024 * 1024 + 5
        r = get("/v/big?%d" % size)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, bytes(i % 251 for i in range(size)))

    def test_file_wrapper_streams_the_file_and_closes_it(self):
        del closes[:]
        r = get("/v/file")
        self.assertEqual((r.status, r.body), (200, FILE_BYTES))
        self.assertEqual(closes, ["file opened", "file closed"])

    def test_head_has_length_and_no_body(self):
        r = request(daemon.http_port, "HEAD", "/v/head")
        self.assertEqual((r.status, r.header("Content-Length"), r.body), (200, "5", b""))

    def test_not_found_from_the_app(self):
        r = get("/nowhere")
        self.assertEqual((r.status, r.body), (404, b"no route /nowhere"))


class CloseAndErrors(unittest.TestCase):
    def test_close_is_called_after_a_normal_response(self):
        del closes[:]
        self.assertEqual(get("/v/closing").body, b"ab")
        self.assertEqual(closes, ["ok"])

    def test_a_counted_response_is_complete_before_the_app_is_closed(self):
        del closes[:]
        close_gate.clear()
        try:
            r = get("/slow-close", timeout=10)
            self.assertEqual((r.status, r.body), (200, b"done"))  # the rest was beyond Content-Length
            self.assertNotIn("close finished", closes)
        finally:
            close_gate.set()
        wait_until(lambda: "close finished" in closes, 10, "close() to finish")

    def test_exception_before_headers_is_a_500_and_the_worker_carries_on(self):
        del logged[:]
        for _ in range(3):  # more requests than worker threads
            r = get("/boom")
            self.assertEqual(r.status, 500)
            self.assertIn(b"server error", r.body)
        self.assertEqual(get("/v/echo").status, 200)
        self.assertEqual(len(logged), 3)
        self.assertIn("error in GET /boom", logged[0].getMessage())
        self.assertIs(logged[0].exc_info[0], KeyError)

    def test_exception_in_the_iterable_before_any_body_is_a_500_and_close_is_called(self):
        del closes[:]
        self.assertEqual(get("/fails-at-once").status, 500)
        self.assertEqual(closes, ["fails-at-once"])

    def test_exception_after_the_head_aborts_the_response_and_close_is_called(self):
        del closes[:]
        with self.assertRaises(http.client.IncompleteRead) as cut:
            get("/fails-after-one")  # chunked: the proxy leaves out the last chunk and closes
        self.assertEqual(cut.exception.partial, b"first;")
        self.assertEqual(closes, ["fails-after-one"])
        self.assertEqual(get("/v/echo").status, 200)

    def test_start_response_with_exc_info_replaces_the_unsent_head(self):
        r = get("/exc-info")
        self.assertEqual((r.status, r.header("Retry-After"), r.body), (503, "7", b"try later"))

    def test_start_response_twice_without_exc_info_is_a_500(self):
        self.assertEqual(get("/twice").status, 500)

    def test_a_message_that_is_no_envelope_gets_a_500_and_is_logged(self):
        del logged[:]
        with Client(daemon.socket_path) as c:
            head = c.query(b"this is not JSON", 10, "msglite.httpRequests")
        self.assertEqual(json.loads(head.body)[0], "500")
        self.assertIn("request envelope is not JSON", logged[0].getMessage())

    def test_body_length_zero_leaves_the_body_message_alone(self):
        # an envelope sent by hand, so the body address holds something the handler must not take
        with Client(daemon.socket_path) as c:
            c.send(b"unread", 10, "py.body.1")
            env = {"method": "POST", "url": "/raw", "protocol": "HTTP/1.1", "headers": {"Host": "x"},
                   "bodyAddr": "py.body.1", "bodyLength": 0}
            c.send(json.dumps(env).encode(), 10, "msglite.httpRequests", "py.reply.1")
            self.assertEqual(json.loads(c.ready(10, "py.reply.1").body)[0], "200")
            self.assertEqual(c.ready(10, "py.reply.1").body, b"")  # raw_echo_app saw no body: the end
            self.assertEqual(c.ready(0, "py.body.1").body, b"unread")

    def test_body_length_above_zero_fetches_the_body(self):
        with Client(daemon.socket_path) as c:
            c.send(b"posted", 10, "py.body.2")
            env = {"method": "POST", "url": "/raw", "protocol": "HTTP/1.1", "headers": {"Host": "x"},
                   "bodyAddr": "py.body.2", "bodyLength": 6}
            c.send(json.dumps(env).encode(), 10, "msglite.httpRequests", "py.reply.2")
            self.assertEqual(json.loads(c.ready(10, "py.reply.2").body)[0], "200")
            self.assertEqual(c.ready(10, "py.reply.2").body, b"posted")
            self.assertEqual(c.ready(10, "py.reply.2").body, b"")
            self.assertIsNone(c.ready(0, "py.body.2"))

    def test_headers_the_proxy_would_refuse_are_the_apps_500(self):
        for path in ("/bad/newline", "/bad/unicode"):
            r = get(path)
            self.assertEqual(r.status, 500, path)
            self.assertIsNone(r.header("Injected"))


if __name__ == "__main__":
    unittest.main()
