"""Reads that may come from a replica of the database: views of reports mark theirs with
``reads_from_replica``; ``config.routers.ReplicaRouter`` sends them to ``DATABASE_REPLICA_URL``
when one is configured. Everything else, and every write, goes to the primary."""

from __future__ import annotations

from contextvars import ContextVar
from functools import wraps

_on_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def reads_from_replica(view):
    """Run ``view``'s reads on the replica, when there is one: a report can bear a replica's
    moment of lag; a grade could not."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = _on_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _on_replica.reset(token)

    wrapped.reads_from_replica = True  # carried up through later decorators by wraps()
    return wrapped


def on_replica() -> bool:
    return _on_replica.get()
