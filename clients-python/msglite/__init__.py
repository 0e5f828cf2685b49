"""msglite: a client for the msglite message daemon, and a WSGI handler (``msglite.wsgi``)."""

from .client import Client, Message, MsgliteError, ProtocolError, connect

__all__ = ["Client", "Message", "MsgliteError", "ProtocolError", "connect"]
__version__ = "0.2.0"
