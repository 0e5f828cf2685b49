"""Run any WSGI app behind the msglite HTTP proxy (docs/http-mapping.md).

``python3 -m msglite.wsgi MODULE:APP`` starts the worker processes; ``Worker`` serves on one
connection in the calling thread, for embedding and tests.
"""

from .handler import MsgliteHandler
from .loader import load_app
from .supervisor import Options, Supervisor
from .worker import Worker

__all__ = ["MsgliteHandler", "Options", "Supervisor", "Worker", "load_app"]
