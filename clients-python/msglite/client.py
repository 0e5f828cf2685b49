"""A blocking client for the msglite text protocol (docs/protocol.md).

One ``Client`` is one connection. It is not thread-safe: give each thread its own.
Commands that get no answer (``send``) are buffered and go out with the next flush, which
every command that waits for an answer does first, so a reply and the next ``ready`` leave
in one write.
"""

import collections
import re
import socket
from typing import NamedTuple, Optional, Union

__all__ = ["Client", "Message", "MsgliteError", "ProtocolError", "connect"]

Body = Union[bytes, bytearray, memoryview, str]
Address = Union[str, bytes]

MAX_TIMEOUT_SECONDS = 2**31 - 1   # the daemon's numbers are 31-bit
MAX_ANSWER_LINE_BYTES = 64 * 1024  # the daemon's own lines are short; a longer one is not a daemon
ANSWER_GRACE_SECONDS = 30          # how much later than its own timeout an answer may come
DIRECT_WRITE_BYTES = 64 * 1024     # bodies at least this big are written as they are, not copied

_WHITESPACE = re.compile(rb"\s")
_ERROR_WAIT_SECONDS = 1.0


class MsgliteError(Exception):
    """The daemon refused a command with ``- text``; it closes the connection after that."""

    def __init__(self, text: str):
        super().__init__("msglite daemon error: " + text)
        self.text = text


class ProtocolError(Exception):
    """The peer sent something that is not a msglite answer."""


class Message(NamedTuple):
    """A message as the daemon delivers it: ``timeout`` is the one it was sent with."""

    body: bytes
    timeout: int
    to: str
    reply: Optional[str] = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def connect(address: str, connect_timeout: Optional[float] = 10.0) -> "Client":
    return Client(address, connect_timeout)


def _socket_for(address: str, connect_timeout: Optional[float]) -> socket.socket:
    """``HOST:PORT``, ``[V6]:PORT``, ``tcp:HOST:PORT``, ``unix:PATH`` or a path with a '/'."""
    if address.startswith("unix:"):
        return _connect_unix(address[5:], connect_timeout)
    if address.startswith("tcp:"):
        address = address[4:]
    elif "/" in address:
        return _connect_unix(address, connect_timeout)
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError("msglite address must be HOST:PORT or a Unix socket path, not %r" % address)
    sock = socket.create_connection((host.strip("[]"), int(port)), connect_timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # we batch writes ourselves
    return sock


def _connect_unix(path: str, connect_timeout: Optional[float]) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(connect_timeout)
        sock.connect(path)
    except BaseException:
        sock.close()
        raise
    return sock


def _encode_address(address: Address) -> bytes:
    raw = address if isinstance(address, bytes) else address.encode("utf-8", "surrogateescape")
    if not raw or _WHITESPACE.search(raw):
        raise ValueError("a msglite address is one non-empty token without whitespace, not %r" % (address,))
    return raw


def _decode_address(raw: bytes) -> str:
    # surrogateescape: any byte string the daemon hands out encodes back to the same bytes
    return raw.decode("utf-8", "surrogateescape")


def _timeout(seconds: int) -> bytes:
    if type(seconds) is not int or not 0 <= seconds <= MAX_TIMEOUT_SECONDS:
        raise ValueError("timeout must be whole seconds, 0..%d, not %r" % (MAX_TIMEOUT_SECONDS, seconds))
    return b"%d" % seconds


def _body(body: Body):
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return body
    raise TypeError("a message body is bytes or str, not %s" % type(body).__name__)


class Client:
    """A connection to the daemon: ``send``, ``ready``, ``query``, ``quit``.

    ``ready`` and ``query`` return a ``Message`` or ``None`` when their timeout passes. An
    answer later than its timeout plus ``ANSWER_GRACE_SECONDS`` raises ``TimeoutError`` and
    closes the connection, so a silent peer cannot hang the caller.
    """

    def __init__(self, address: str, connect_timeout: Optional[float] = 10.0):
        self.address = address
        self._sock = _socket_for(address, connect_timeout)
        self._sock_timeout = -1.0  # what settimeout() was last given; each call costs a syscall
        self._set_timeout(None)
        self._reader = self._sock.makefile("rb", buffering=64 * 1024)
        self._out = bytearray()
        self._waits = collections.deque()  # timeout of each command whose answer is not read yet

    # --- the protocol --------------------------------------------------------------------------

    def send(self, body: Body, timeout: int, to: Address, reply: Optional[Address] = None,
             flush: bool = True) -> None:
        """Sends a message. The daemon does not answer sends: a refusal (``- queue full …``)
        surfaces as a ``MsgliteError`` from the next command that reads an answer."""
        data = _body(body)
        head = b"> %d %s %s" % (len(data), _timeout(timeout), _encode_address(to))
        if reply is not None:
            head += b" " + _encode_address(reply)
        self._put(head, data)
        if flush:
            self.flush()

    def ready(self, timeout: int, *addresses: Address) -> Optional[Message]:
        """Waits for one message on any of ``addresses`` (the first listed wins when several
        have one queued); ``None`` when nothing comes within ``timeout`` seconds."""
        self._require_no_pending("ready")
        self.write_ready(timeout, *addresses)
        return self.read_answer()

    def query(self, body: Body, timeout: int, to: Address) -> Optional[Message]:
        """Sends ``body`` with a fresh reply address and waits for the reply; ``None`` on timeout."""
        self._require_no_pending("query")
        data = _body(body)
        self._put(b"? %d %s %s" % (len(data), _timeout(timeout), _encode_address(to)), data)
        self._waits.append(timeout)
        return self.read_answer()

    def quit(self) -> None:
        """Sends what is buffered and ``.``, then closes the connection."""
        try:
            if self._sock is not None:
                self._out += b".\r\n"
                self.flush()
        finally:
            self.close()

    # --- pipelining: the protocol answers commands strictly in order ---------------------------

    def write_ready(self, timeout: int, *addresses: Address) -> None:
        """Buffers a ready without waiting; its answer comes from a later ``read_answer``."""
        if not addresses:
            raise ValueError("ready needs at least one address")
        line = b"< " + _timeout(timeout) + b"".join(b" " + _encode_address(a) for a in addresses)
        self._out += line + b"\r\n"
        self._waits.append(timeout)

    def read_answer(self) -> Optional[Message]:
        """Flushes, then reads the answer to the oldest ready or query not answered yet."""
        if not self._waits:
            raise RuntimeError("no ready or query is waiting for an answer")
        self.flush()
        # Only ever raised: each settimeout() is a syscall, and a read under a longer limit than
        # its own is still bounded.
        needed = self._waits[0] + ANSWER_GRACE_SECONDS
        if self._sock_timeout is None or self._sock_timeout < needed:
            self._set_timeout(needed)
        try:
            message = self._read_message()
        except socket.timeout:
            self.close()
            raise TimeoutError("the msglite daemon did not answer within its timeout + %ds"
                               % ANSWER_GRACE_SECONDS) from None
        except BaseException:
            self.close()  # mid-answer, the byte stream can no longer be trusted
            raise
        self._waits.popleft()
        return message

    @property
    def pending_answers(self) -> int:
        return len(self._waits)

    def flush(self) -> None:
        if self._out:
            data, self._out = self._out, bytearray()
            self._sendall(data)

    # --- connection ----------------------------------------------------------------------------

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            self._reader.close()
            sock.close()

    @property
    def closed(self) -> bool:
        return self._sock is None

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None and self._sock is not None:
            self.quit()
        else:
            self.close()

    # --- internals -----------------------------------------------------------------------------

    def _set_timeout(self, seconds: Optional[float]) -> None:
        if seconds != self._sock_timeout:
            self._sock.settimeout(seconds)
            self._sock_timeout = seconds

    def _require_no_pending(self, what: str) -> None:
        if self._waits:
            raise RuntimeError("%s while %d answer(s) are unread: read them with read_answer()"
                               % (what, len(self._waits)))

    def _put(self, head: bytes, body) -> None:
        self._out += head
        self._out += b"\r\n"
        if len(body):
            if len(body) >= DIRECT_WRITE_BYTES:
                self.flush()
                self._sendall(body)
            else:
                self._out += body
            self._out += b"\r\n"

    def _sendall(self, data) -> None:
        if self._sock is None:
            raise ConnectionError("the msglite connection is closed")
        try:
            # under the last answer's timeout: a daemon that stops reading for that long is stuck
            self._sock.sendall(data)
        except OSError as e:
            # The daemon closes after an error line (say "body too large"): report its words.
            text = self._error_line_after_failed_write()
            self.close()
            if text is not None:
                raise MsgliteError(text) from e
            raise

    def _error_line_after_failed_write(self) -> Optional[str]:
        try:
            self._set_timeout(_ERROR_WAIT_SECONDS)
            line = self._reader.readline(MAX_ANSWER_LINE_BYTES)
        except (OSError, ValueError):
            return None
        if line.startswith(b"-"):
            return line[1:].strip().decode("utf-8", "replace")
        return None

    def _read_message(self) -> Optional[Message]:
        line = self._reader.readline(MAX_ANSWER_LINE_BYTES)
        if not line:
            raise ConnectionError("connection closed by the msglite daemon")
        if not line.endswith(b"\n"):
            raise ProtocolError("answer line too long or cut short: %r" % line[:80])
        if line == b"*\r\n" or line.strip() == b"*":
            return None
        if line.startswith(b"-"):
            raise MsgliteError(line[1:].strip().decode("utf-8", "replace"))
        parts = line.split()
        if len(parts) not in (4, 5) or parts[0] != b">" or not parts[1].isdigit() or not parts[2].isdigit():
            raise ProtocolError("unexpected answer from the msglite daemon: %r" % line[:80])
        length = int(parts[1])
        body = self._reader.read(length) if length else b""
        if len(body) < length:
            raise ConnectionError("connection closed inside a message body")
        if length and self._reader.read(2) != b"\r\n":
            raise ProtocolError("message body not followed by a line end")
        reply = _decode_address(parts[4]) if len(parts) == 5 else None
        return Message(body, int(parts[2]), _decode_address(parts[3]), reply)
