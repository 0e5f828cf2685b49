"""Finds the WSGI app named on the command line, gunicorn-style: ``module:name``."""

import importlib


def load_app(spec: str):
    """``package.module:name`` (``name`` may be dotted; it defaults to ``application``).

    Imported in each worker process, after the fork, so a reload (SIGHUP) runs fresh code.
    """
    module_name, _, attribute = spec.partition(":")
    if not module_name:
        raise ValueError("app must be given as MODULE:NAME, not %r" % spec)
    obj = importlib.import_module(module_name)
    for part in (attribute or "application").split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise LookupError("no %r in module %s" % (attribute or "application", module_name)) from None
    if not callable(obj):
        raise TypeError("%s is not a WSGI application (not callable)" % spec)
    return obj
