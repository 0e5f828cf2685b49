"""A real Flask app, run by ``python3 -m msglite.wsgi`` behind the real proxy, with real HTTP."""

import hashlib
import http.client
import json
import os
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid

from .support import Daemon, HandlerProcess

daemon = handler = None


def setUpModule():
    global daemon, handler
    daemon = Daemon()
    handler = HandlerProcess(daemon, "flask_app:app", "--workers", "2")


def tearDownModule():
    handler.stop()
    daemon.stop()


def url(path):
    return "http://127.0.0.1:%d%s" % (daemon.http_port, path)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(path, data=None, headers=None, method=None, follow=True):
    """(status, headers, body) with urllib, also for 3xx/4xx/5xx answers."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url(path), data=data, headers=headers or {}, method=method)
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers, e.read()


class Flask(unittest.TestCase):
    def test_hello_and_routing(self):
        self.assertEqual(fetch("/")[::2], (200, b"Hello, World!"))
        self.assertEqual(fetch("/hello/msglite")[::2], (200, b"Hello, msglite!"))
        self.assertEqual(fetch("/no/such/route")[0], 404)

    def test_query_string(self):
        status, _, body = fetch("/search?q=message+queue&page=3&tag=a&tag=b%26c")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"q": "message queue", "page": 3, "tags": ["a", "b&c"]})

    def test_form_post(self):
        data = urllib.parse.urlencode({"name": "Zoë", "msg": "a&b=c"}).encode()
        status, _, body = fetch("/form", data=data,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual((status, json.loads(body)), (200, {"name": "Zoë", "msg": "a&b=c"}))

    def test_json_post(self):
        payload = {"list": [1, 2, 3], "nested": {"ok": True}, "text": "✓"}
        status, headers, body = fetch("/json", data=json.dumps(payload).encode(),
                                      headers={"Content-Type": "application/json"})
        self.assertEqual(status, 201)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(json.loads(body), {"received": payload, "method": "POST"})

    def test_two_set_cookie_headers_and_cookies_coming_back(self):
        status, headers, body = fetch("/cookies")
        cookies = headers.get_all("Set-Cookie")
        self.assertEqual(status, 200)
        self.assertEqual(len(cookies), 2, cookies)
        self.assertTrue(cookies[0].startswith("first=1"))
        self.assertTrue(cookies[1].startswith("second=2") and "HttpOnly" in cookies[1])
        _, _, body = fetch("/whoami", headers={"Cookie": "first=1; second=2"})
        self.assertEqual(json.loads(body)["cookies"], {"first": "1", "second": "2"})

    def test_redirect(self):
        status, headers, _ = fetch("/go", follow=False)
        self.assertEqual(status, 302)
        self.assertEqual(headers["Location"], "/hello/redirected")
        self.assertEqual(fetch("/go")[::2], (200, b"Hello, redirected!"))

    def test_streamed_response_first_piece_arrives_before_the_last_is_produced(self):
        gate = os.path.join(tempfile.gettempdir(), "msglite-gate-" + uuid.uuid4().hex)
        conn = http.client.HTTPConnection("127.0.0.1", daemon.http_port, timeout=30)
        try:
            conn.request("GET", "/stream?gate=" + urllib.parse.quote(gate))
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            self.assertEqual(r.getheader("Transfer-Encoding"), "chunked")
            self.assertEqual(r.readline(), b"first\n")  # while the app waits for the gate
            open(gate, "w").close()
            self.assertEqual(r.read(), b"last:gate opened\n")
        finally:
            conn.close()
            if os.path.exists(gate):
                os.unlink(gate)

    def test_one_mebibyte_multipart_upload(self):
        data = os.urandom(1024 * 1024)
        boundary = uuid.uuid4().hex
        body = b"".join([
            b"--%s\r\n" % boundary.encode(),
            b'Content-Disposition: form-data; name="note"\r\n\r\nbig one\r\n',
            b"--%s\r\n" % boundary.encode(),
            b'Content-Disposition: form-data; name="file"; filename="blob.bin"\r\n',
            b"Content-Type: application/octet-stream\r\n\r\n", data, b"\r\n",
            b"--%s--\r\n" % boundary.encode()])
        status, _, answer = fetch("/upload", data=body,
                                  headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(answer), {"name": "blob.bin", "size": len(data), "note": "big one",
                                              "sha256": hashlib.sha256(data).hexdigest()})

    def test_non_ascii_path(self):
        status, _, body = fetch("/" + urllib.parse.quote("päth") + "/" + urllib.parse.quote("üñí ✓"))
        self.assertEqual((status, body.decode("utf-8")), (200, "unicode üñí ✓"))

    def test_exception_is_a_500_and_the_workers_carry_on(self):
        for _ in range(4):  # more than the two workers
            self.assertEqual(fetch("/boom")[0], 500)
        self.assertEqual(fetch("/")[::2], (200, b"Hello, World!"))
        self.assertIn("boom on purpose", handler.output.text())  # Flask logged it

    def test_head_request(self):
        status, headers, body = fetch("/", method="HEAD")
        self.assertEqual((status, headers["Content-Length"], body), (200, "13", b""))

    def test_workers_are_separate_processes(self):
        workers = handler.workers()
        self.assertEqual(len(workers), 2)
        pids = set()
        for _ in range(50):  # ready workers line up, so they take turns
            pids.add(json.loads(fetch("/pid")[2])["pid"])
            if pids == workers:
                break
        self.assertEqual(pids, workers)


if __name__ == "__main__":
    unittest.main()
