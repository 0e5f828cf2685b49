"""One HTTP request answered through the msglite proxy: wsgiref's ``BaseHandler`` with msglite
messages where a CGI handler has a socket (the contract is docs/http-mapping.md).

The response is a head message ``[status, [name, value, ...]]``, one message per body piece,
and an empty message. Everything goes to the request's reply address.
"""

import io
import json
import logging
import re
import sys
import time
from wsgiref.handlers import BaseHandler, format_date_time

from .. import __version__
from ..client import Client
from .envelope import Request

log = logging.getLogger("msglite.wsgi")

# Each response message may wait this long for the proxy to take it: the proxy's own default
# reply timeout, so a piece never expires before the proxy would have given up on it.
REPLY_TIMEOUT_SECONDS = 180
# Bigger writes are split: one message must stay below the daemon's -max-body-bytes (16 MiB).
MAX_PIECE_BYTES = 1024 * 1024
# The reply address that turns a message to the reply address into an abort (docs/http-mapping.md).
ABORT_MARK = "msglite.abort"
# wsgi.file_wrapper results are read in blocks of this size, not the app's blksize (8 KiB by
# default), so a file costs few messages.
FILE_PIECE_BYTES = 256 * 1024

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_BAD_VALUE = re.compile(r"[\r\n\0]|[^\x00-\xff]")  # the proxy answers 502 to these


class MsgliteHandler(BaseHandler):
    """Runs a WSGI app for one request; create one per request."""

    os_environ = {}  # wsgiref's CGI default copies the process environment: not request data
    server_software = "msglite-wsgi/" + __version__

    def __init__(self, client: Client, request: Request, body: bytes,
                 multithread: bool = False, multiprocess: bool = False):
        self.client = client
        self.request = request
        self.body = body
        self.wsgi_multithread = multithread
        self.wsgi_multiprocess = multiprocess
        self._head_sent = False       # unlike headers_sent, close() does not reset it
        self._ended = False
        self._content_length = None

    def handle(self, app) -> None:
        """Runs ``app`` and always ends the response, even when error handling itself failed."""
        try:
            self.run(app)
        finally:
            if not self._head_sent:
                self._send_head("500", [("Content-Type", "text/plain")])
                self._write(self.error_body)
            if not self._ended:
                # Buffered: it leaves with the worker's next ready, in the same write.
                self._end()

    def _end(self) -> None:
        self.client.send(b"", REPLY_TIMEOUT_SECONDS, self.request.reply, flush=False)
        self._ended = True

    # --- environ ---------------------------------------------------------------------------------

    def add_cgi_vars(self):
        env = self.environ
        env.update(self.request.cgi)
        if self.body or self.request.has_body:
            # The proxy read the whole body and undid any chunked framing: the app gets a plain,
            # counted body.
            env["CONTENT_LENGTH"] = str(len(self.body))
            env.pop("HTTP_TRANSFER_ENCODING", None)
        env["wsgi.input_terminated"] = True
        env["msglite.request_id"] = self.request.request_id
        env["msglite.envelope"] = self.request.envelope

    def get_stdin(self):
        return io.BytesIO(self.body)

    def get_stderr(self):
        return sys.stderr

    def get_scheme(self):
        return self.request.scheme

    # --- response --------------------------------------------------------------------------------

    def start_response(self, status, headers, exc_info=None):
        write = super().start_response(status, headers, exc_info)
        # Checked here, inside the app's call, so a bad header is the app's 500 with a traceback
        # rather than the proxy's bare 502.
        for name, value in headers:
            if type(name) is not str or not _TOKEN.match(name):
                raise ValueError("invalid response header name %r" % (name,))
            if type(value) is not str or _BAD_VALUE.search(value):
                raise ValueError("response header %s: value %r has CR, LF, NUL or non-Latin-1 characters"
                                 % (name, value))
        return write

    def send_headers(self):
        self.cleanup_headers()
        self.headers_sent = True
        length = self.headers.get("Content-Length", "")
        self._content_length = int(length) if length.isdigit() else None
        if "Date" not in self.headers:  # the origin server must send one (RFC 9110, 6.6.1)
            self.headers["Date"] = _http_date()
        self._send_head(self.status[:3], self.headers.items())

    def _send_head(self, status: str, headers) -> None:
        flat = [s for pair in headers for s in pair]
        self.client.send(json.dumps([status, flat]), REPLY_TIMEOUT_SECONDS, self.request.reply, flush=False)
        self._head_sent = True

    def _write(self, data):
        if self._ended:
            return  # beyond Content-Length: the proxy would cut it anyway
        # An empty message would end the response, so empty writes send nothing.
        if len(data) <= MAX_PIECE_BYTES:
            if data:
                self.client.send(data, REPLY_TIMEOUT_SECONDS, self.request.reply, flush=False)
            return
        view = memoryview(data)
        for start in range(0, len(view), MAX_PIECE_BYTES):
            self.client.send(view[start:start + MAX_PIECE_BYTES], REPLY_TIMEOUT_SECONDS,
                             self.request.reply, flush=False)

    def _flush(self):
        # Each piece leaves at once, so streamed responses stream. Once Content-Length says the
        # body is complete, the response ends here: the client has all of it before the app's
        # iterable is exhausted and closed (say, Flask's teardown handlers).
        if self._content_length is not None and self.bytes_sent >= self._content_length:
            self._end()
        self.client.flush()

    def sendfile(self):
        read = getattr(self.result.filelike, "read", None)
        if read is None:
            return False
        while True:
            data = read(FILE_PIECE_BYTES)
            if not data:
                break
            self.write(data)
        self.finish_content()
        return True

    def handle_error(self):
        if not self.headers_sent:
            super().handle_error()  # logs it and answers 500
            return
        self.log_exception(sys.exc_info())
        if not self._ended:
            # The client has the head and maybe part of the body: ending the response now would
            # pass the cut-off body for a whole one, so the proxy is told to break it off.
            reason = "the application raised %s after the response started" % type(sys.exc_info()[1]).__name__
            self.client.send(reason, REPLY_TIMEOUT_SECONDS, self.request.reply, reply=ABORT_MARK, flush=False)
            self._ended = True

    def log_exception(self, exc_info):
        cgi = self.request.cgi
        log.error("error in %s %s (request %s)", cgi["REQUEST_METHOD"], cgi["RAW_URI"],
                  self.request.request_id, exc_info=exc_info)


def reply_error(client: Client, reply: str, status: int, text: str) -> None:
    """A whole plain-text response, for requests that never reach the app."""
    body = text.encode("utf-8") + b"\n"
    head = [str(status), ["Content-Type", "text/plain; charset=utf-8", "Content-Length", str(len(body))]]
    client.send(json.dumps(head), REPLY_TIMEOUT_SECONDS, reply, flush=False)
    client.send(body, REPLY_TIMEOUT_SECONDS, reply, flush=False)
    client.send(b"", REPLY_TIMEOUT_SECONDS, reply, flush=False)


_date = [0, ""]


def _http_date() -> str:
    now = int(time.time())
    if _date[0] != now:
        _date[:] = [now, format_date_time(now)]
    return _date[1]
