"""A worker: one connection to the daemon, one request at a time.

A worker readies on the request address only when it is free, so the daemon hands each request
to a worker that can start on it now: load spreads by readiness, and requests that arrive while
every worker is busy (or restarting) wait in the daemon's queue.
"""

import logging
import os
import threading
from typing import Callable

from ..client import Client, MsgliteError, ProtocolError
from . import envelope
from .handler import MsgliteHandler, reply_error

log = logging.getLogger("msglite.wsgi")

# A ready can only be withdrawn by closing the connection, and a request already on its way to
# us would then be lost. So an idle worker readies for at most this long and looks at its stop
# flag in between: a graceful stop takes up to this long and loses nothing.
IDLE_READY_SECONDS = 1
# The proxy sends the body before the envelope, so it is queued by the time we ask; the wait
# covers the original proxy, which sent it just after.
BODY_WAIT_SECONDS = 10
RECONNECT_FIRST_SECONDS = 0.1
RECONNECT_MAX_SECONDS = 5.0


class Worker:
    def __init__(self, app, connect: str, request_address: str, stop: threading.Event,
                 should_stop: Callable[[], bool] = None, script_name: str = "",
                 multithread: bool = False, multiprocess: bool = False,
                 on_serving: Callable[[], None] = lambda: None):
        self.app = app
        self.connect = connect
        self.request_address = request_address
        self.stop = stop
        self.should_stop = should_stop or stop.is_set
        self.script_name = script_name
        self.multithread = multithread
        self.multiprocess = multiprocess
        self.on_serving = on_serving  # called once per connection, when its first ready is out

    def serve_forever(self) -> None:
        """Serves until stopped, reconnecting (with back-off) whenever the daemon goes away."""
        delay = RECONNECT_FIRST_SECONDS
        while not self.should_stop():
            try:
                with Client(self.connect) as client:
                    delay = RECONNECT_FIRST_SECONDS
                    self._serve(client)
            except (OSError, MsgliteError, ProtocolError) as e:
                if self.should_stop():
                    break
                log.warning("connection to %s: %s; retrying in %.1fs", self.connect, e, delay)
                self.stop.wait(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    def _serve(self, client: Client) -> None:
        body_unread = False
        first = True
        while not self.should_stop():
            client.write_ready(IDLE_READY_SECONDS, self.request_address)
            client.flush()  # with the previous response's end, if any
            if first:
                self.on_serving()
                first = False
            if body_unread:
                client.read_answer()
                body_unread = False
            message = client.read_answer()
            if message is not None:
                body_unread = self.handle(client, message)
        if body_unread:
            client.read_answer()

    def handle(self, client: Client, message) -> bool:
        """Answers one request; True if its (empty) body message is still to be read."""
        try:
            request = envelope.parse(message.body, message.reply, self.script_name)
        except envelope.EnvelopeError as e:
            log.error("dropped a message on %s: %s", self.request_address, e)
            if message.reply:
                reply_error(client, message.reply, 500, "msglite-wsgi: " + str(e))
            return False
        body_unread = False
        if request.body_length == 0:
            # The proxy says there is no body and drops the empty body message itself.
            body = b""
        elif not request.has_body:
            # An older proxy: the body is an empty message. Read its answer later, after this
            # response and the next ready have left in one write. That saves a round trip.
            client.write_ready(BODY_WAIT_SECONDS, request.body_address)
            body = b""
            body_unread = True
        else:
            client.write_ready(BODY_WAIT_SECONDS, request.body_address)
            answer = client.read_answer()
            if answer is None:
                reply_error(client, request.reply, 500, "msglite-wsgi: the request body did not arrive")
                return False
            body = answer.body
        try:
            MsgliteHandler(client, request, body, self.multithread, self.multiprocess).handle(self.app)
        except Exception:
            if client.closed:
                raise  # the connection failed: serve_forever reconnects
            # Error handling itself failed; the response was still ended. Carry on.
            log.exception("request %s failed", request.request_id)
        return body_unread


def parent_watch(stop: threading.Event) -> Callable[[], bool]:
    """A stop test that also fires when the process that forked us is gone."""
    parent = os.getppid()
    return lambda: stop.is_set() or os.getppid() != parent
