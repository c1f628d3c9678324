"""What a web worker does before its first request (gunicorn's post_worker_init).

Without it, a fresh worker's first request imports every view module (the URL patterns)
and reads this year's figures into its process cache: a leader's first dashboard after a
restart or a deploy took about a second on the province data instead of 0.1 s. Then the
objects loaded so far are frozen for the cyclic garbage collector (`gc.freeze`).
"""

import gc
import logging

logger = logging.getLogger(__name__)


def warm_worker():
    """Load the URL patterns, then this year's figures (from the stored cubes; read from
    the records only where none is stored). A failure is logged: the worker serves all
    the same, and the first page does what was not done here."""
    from django.db import connections
    from django.urls import get_resolver

    _populate(get_resolver())  # imports every view module, compiles every pattern
    try:
        from zhaoshang.targets import engine

        engine.warm()
    except Exception:
        logger.exception("warming the figures of a new worker failed")
    finally:
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:  # opened outside a request: not kept
                connection.close()
    # What the worker loaded lives as long as it does: out of the cyclic collector's
    # sight, a full collection no longer walks it (70-90 ms, every few busy pages).
    gc.freeze()


def _populate(resolver):
    """Build a resolver's reverse lookups and those of every namespace under it (what
    the first `reverse()` of each namespace otherwise does: 0.1 s of the first page)."""
    resolver.reverse_dict  # noqa: B018
    for _prefix, sub in resolver.namespace_dict.values():
        _populate(sub)
