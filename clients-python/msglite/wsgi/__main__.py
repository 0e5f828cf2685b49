"""``python3 -m msglite.wsgi [options] MODULE:APP``: serve a WSGI app behind the msglite proxy."""

import argparse
import logging
import os
import sys

from .supervisor import Options, Supervisor


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python3 -m msglite.wsgi",
        description="Serve a WSGI application behind the msglite HTTP proxy. SIGTERM/SIGINT stop "
                    "gracefully (requests not yet taken stay queued in the daemon); SIGHUP reloads "
                    "the workers with fresh code.")
    p.add_argument("app", metavar="MODULE:APP", help="the WSGI app, e.g. myproject.wsgi:application")
    p.add_argument("--connect", metavar="ADDRESS", default=os.environ.get("MSGLITE_ADDRESS", "/tmp/msglite.socket"),
                   help="the daemon: HOST:PORT, or a Unix socket path (default: $MSGLITE_ADDRESS or %(default)s)")
    p.add_argument("--request-address", metavar="ADDR", default="msglite.httpRequests",
                   help="where the proxy sends requests, its -http-msg-address (default: %(default)s)")
    p.add_argument("--workers", type=_positive, default=1, metavar="N", help="worker processes (default: 1)")
    p.add_argument("--threads", type=_positive, default=1, metavar="N",
                   help="threads per worker, each with its own connection (default: 1)")
    p.add_argument("--script-name", default="", metavar="PREFIX",
                   help="the URL prefix the app is mounted at; it moves from PATH_INFO to SCRIPT_NAME")
    p.add_argument("--graceful-timeout", type=float, default=30.0, metavar="SECONDS",
                   help="how long a stop or reload waits for requests in progress before killing (default: 30)")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="msglite-wsgi[%(process)d]: %(message)s")
    sys.path.insert(0, os.getcwd())  # as gunicorn does: MODULE is found from the current directory
    options = Options(app=args.app, connect=args.connect, request_address=args.request_address,
                      workers=args.workers, threads=args.threads, script_name=args.script_name,
                      graceful_timeout=args.graceful_timeout)
    return Supervisor(options).run()


if __name__ == "__main__":
    sys.exit(main())
