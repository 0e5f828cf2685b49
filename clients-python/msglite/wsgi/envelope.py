"""The proxy's request envelope (docs/http-mapping.md) turned into PEP 3333 CGI variables.

Pure: no sockets. Strings follow PEP 3333's "native strings": the bytes of the request, decoded
as Latin-1, which is how the proxy decodes the request head before it writes the JSON.
"""

import json
from typing import NamedTuple, Optional
from urllib.parse import unquote_to_bytes

# A repeated header becomes one CGI variable (RFC 3875); cookies are joined the way a single
# Cookie header separates them, so cookie parsers see every pair.
_JOINERS = {"HTTP_COOKIE": "; "}


class EnvelopeError(ValueError):
    """The request message is not an envelope this handler can answer."""


class Request(NamedTuple):
    cgi: dict              # the CGI variables of the WSGI environ
    body_address: str      # ready on it once for the request body
    reply: str             # every part of the response goes here
    has_body: bool         # there is a body: bodyLength > 0, or from an older proxy, Content-Length > 0 or Transfer-Encoding
    body_length: Optional[int]  # the envelope's bodyLength; None from an older proxy, which lacks it
    scheme: str
    request_id: str
    envelope: dict


def parse(body: bytes, reply: Optional[str], script_name: str = "") -> Request:
    try:
        env = json.loads(body)
    except ValueError as e:
        raise EnvelopeError("request envelope is not JSON: %s" % e) from None
    if not isinstance(env, dict):
        raise EnvelopeError("request envelope is not a JSON object")
    for field in ("method", "url", "bodyAddr"):
        if not isinstance(env.get(field), str) or not env[field]:
            raise EnvelopeError("request envelope has no %r" % field)
    if not reply:
        raise EnvelopeError("request message has no reply address")

    url = env["url"]
    path, _, query = url.partition("?")
    path = env.get("path", path)      # the original proxy's envelope lacks the newer fields
    query = env.get("query", query)
    path_info = _unquote(_origin_form(path))
    script = script_name.rstrip("/")
    if script and (path_info == script or path_info.startswith(script + "/")):
        path_info = path_info[len(script):]
    else:
        script = ""

    headers = env.get("headerList")
    if not isinstance(headers, list):
        headers = list((env.get("headers") or {}).items())
    cgi = {
        "REQUEST_METHOD": env["method"],
        "SCRIPT_NAME": script,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "REQUEST_URI": url,
        "RAW_URI": url,
        "SERVER_PROTOCOL": env.get("protocol") or "HTTP/1.0",
        "REMOTE_ADDR": env.get("remoteAddr", ""),
        "REMOTE_PORT": str(env.get("remotePort", "")),
    }
    has_body = _add_headers(cgi, headers)
    body_length = env.get("bodyLength")
    if isinstance(body_length, int) and not isinstance(body_length, bool) and body_length >= 0:
        has_body = body_length > 0
    else:
        body_length = None
    host_name, host_port = _split_host(cgi.get("HTTP_HOST", ""))
    cgi["SERVER_NAME"] = env.get("serverName") or host_name or "localhost"
    cgi["SERVER_PORT"] = str(env.get("serverPort") or host_port or 80)
    return Request(cgi, env["bodyAddr"], reply, has_body, body_length, env.get("scheme") or "http",
                   str(env.get("requestId", reply)), env)


def _add_headers(cgi: dict, headers) -> bool:
    has_body = False
    for name, value in headers:
        if "_" in name:
            # CGI maps '-' to '_', so "X_User" would pose as "X-User": drop such headers
            # (as gunicorn, nginx and Apache do).
            continue
        key = name.upper().replace("-", "_")
        if key == "CONTENT_LENGTH":
            has_body = has_body or value.strip() not in ("", "0")
        elif key == "TRANSFER_ENCODING":
            has_body = True
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        if key in cgi:
            value = cgi[key] + _JOINERS.get(key, ",") + value
        cgi[key] = value
    return has_body


def _split_host(host: str):
    """``name[:port]`` or ``[v6]:port`` from a Host header."""
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and not name.endswith(":"):
        return name, port
    return host, None


def _origin_form(path: str) -> str:
    """A proxy-style absolute target ("http://host/p") becomes its path (RFC 9112, 3.2.2)."""
    if path.startswith(("http://", "https://")):
        slash = path.find("/", path.index("//") + 2)
        return path[slash:] if slash >= 0 else "/"
    return path


def _unquote(path: str) -> str:
    try:
        raw = path.encode("latin-1")
    except UnicodeEncodeError:  # a proxy that decoded the target as UTF-8
        raw = path.encode("utf-8")
    return unquote_to_bytes(raw).decode("latin-1")
