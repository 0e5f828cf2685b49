"""Envelope → CGI variables, without a daemon (docs/http-mapping.md, PEP 3333)."""

import json
import unittest

from msglite.wsgi.envelope import EnvelopeError, parse


def envelope(**fields):
    env = {"method": "GET", "url": "/", "protocol": "HTTP/1.1", "headers": {"Host": "example.com"},
           "bodyAddr": "b.1", "requestId": "r.1", "path": "/", "query": "", "remoteAddr": "10.0.0.7",
           "remotePort": 4242, "serverName": "example.com", "serverPort": 8080, "scheme": "http",
           "headerList": [["Host", "example.com"]]}
    env.update(fields)
    return json.dumps(env).encode("utf-8")


class Parse(unittest.TestCase):
    def test_fields_become_cgi_variables(self):
        r = parse(envelope(method="POST", url="/a%20b/c?x=1&y=%C3%A9", path="/a%20b/c", query="x=1&y=%C3%A9"), "r.1")
        self.assertEqual(r.cgi["REQUEST_METHOD"], "POST")
        self.assertEqual(r.cgi["PATH_INFO"], "/a b/c")
        self.assertEqual(r.cgi["SCRIPT_NAME"], "")
        self.assertEqual(r.cgi["QUERY_STRING"], "x=1&y=%C3%A9")
        self.assertEqual(r.cgi["RAW_URI"], "/a%20b/c?x=1&y=%C3%A9")
        self.assertEqual((r.cgi["SERVER_NAME"], r.cgi["SERVER_PORT"]), ("example.com", "8080"))
        self.assertEqual((r.cgi["REMOTE_ADDR"], r.cgi["REMOTE_PORT"]), ("10.0.0.7", "4242"))
        self.assertEqual(r.cgi["SERVER_PROTOCOL"], "HTTP/1.1")
        self.assertEqual((r.body_address, r.reply, r.request_id, r.scheme), ("b.1", "r.1", "r.1", "http"))

    def test_non_ascii_path_is_unquoted_to_latin1_native_string(self):
        r = parse(envelope(path="/p%C3%A4th/%E2%9C%93"), "r")
        self.assertEqual(r.cgi["PATH_INFO"].encode("latin-1").decode("utf-8"), "/päth/✓")

    def test_raw_latin1_bytes_in_the_target_pass_through(self):
        r = parse(envelope(path="/caf\u00c3\u00a9"), "r")  # the proxy decodes the head as Latin-1
        self.assertEqual(r.cgi["PATH_INFO"].encode("latin-1"), "/café".encode("utf-8"))

    def test_encoded_slash_is_unquoted_like_every_cgi_server(self):
        self.assertEqual(parse(envelope(path="/a%2Fb"), "r").cgi["PATH_INFO"], "/a/b")

    def test_headers_repeats_content_headers_and_underscores(self):
        headers = [["Host", "h"], ["Content-Type", "text/plain"], ["Content-Length", "3"],
                   ["X-Multi", "1"], ["x-multi", "2"], ["Cookie", "a=1"], ["Cookie", "b=2"],
                   ["X_Spoofed", "evil"], ["Accept", "*/*"]]
        r = parse(envelope(headerList=headers), "r")
        self.assertEqual(r.cgi["CONTENT_TYPE"], "text/plain")
        self.assertEqual(r.cgi["CONTENT_LENGTH"], "3")
        self.assertNotIn("HTTP_CONTENT_TYPE", r.cgi)
        self.assertEqual(r.cgi["HTTP_X_MULTI"], "1,2")
        self.assertEqual(r.cgi["HTTP_COOKIE"], "a=1; b=2")
        self.assertNotIn("HTTP_X_SPOOFED", r.cgi)
        self.assertEqual(r.cgi["HTTP_ACCEPT"], "*/*")
        self.assertTrue(r.has_body)

    def test_has_body(self):
        self.assertFalse(parse(envelope(), "r").has_body)
        self.assertFalse(parse(envelope(headerList=[["Content-Length", "0"]]), "r").has_body)
        self.assertTrue(parse(envelope(headerList=[["Transfer-Encoding", "chunked"]]), "r").has_body)

    def test_body_length_from_the_proxy_decides_over_the_headers(self):
        r = parse(envelope(bodyLength=0, headerList=[["Content-Length", "5"]]), "r")
        self.assertEqual((r.body_length, r.has_body), (0, False))
        r = parse(envelope(bodyLength=7), "r")
        self.assertEqual((r.body_length, r.has_body), (7, True))
        # an older proxy sends no bodyLength; a malformed one is ignored the same way
        for fields in ({}, {"bodyLength": "3"}, {"bodyLength": -1}, {"bodyLength": True}):
            self.assertIsNone(parse(envelope(**fields), "r").body_length, fields)

    def test_script_name_moves_the_mount_prefix(self):
        r = parse(envelope(path="/app/x/y"), "r", script_name="/app/")
        self.assertEqual((r.cgi["SCRIPT_NAME"], r.cgi["PATH_INFO"]), ("/app", "/x/y"))
        r = parse(envelope(path="/app"), "r", script_name="/app")
        self.assertEqual((r.cgi["SCRIPT_NAME"], r.cgi["PATH_INFO"]), ("/app", ""))
        r = parse(envelope(path="/application"), "r", script_name="/app")
        self.assertEqual((r.cgi["SCRIPT_NAME"], r.cgi["PATH_INFO"]), ("", "/application"))

    def test_absolute_form_target(self):
        r = parse(envelope(url="http://example.com/x?q", path="http://example.com/x"), "r")
        self.assertEqual(r.cgi["PATH_INFO"], "/x")
        self.assertEqual(parse(envelope(path="http://example.com"), "r").cgi["PATH_INFO"], "/")

    def test_the_original_proxys_envelope_is_enough(self):
        original = {"method": "GET", "url": "/old/p%41th?a=b", "protocol": "HTTP/1.0",
                    "headers": {"Host": "old.example:81", "Cookie": "c=d"}, "bodyAddr": "x.2"}
        r = parse(json.dumps(original).encode(), "x.1")
        self.assertEqual((r.cgi["PATH_INFO"], r.cgi["QUERY_STRING"]), ("/old/pAth", "a=b"))
        self.assertEqual((r.cgi["SERVER_NAME"], r.cgi["SERVER_PORT"]), ("old.example", "81"))
        self.assertEqual(r.cgi["HTTP_COOKIE"], "c=d")
        self.assertEqual((r.scheme, r.request_id), ("http", "x.1"))

    def test_malformed_envelopes(self):
        for body in (b"not json", b"[1]", json.dumps({"method": "GET", "url": "/"}).encode()):
            with self.assertRaises(EnvelopeError):
                parse(body, "r")
        with self.assertRaises(EnvelopeError):
            parse(envelope(), None)


if __name__ == "__main__":
    unittest.main()
