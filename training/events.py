"""What the engines tell the floors above them: a trainee's result was graded.

The engines (quizzes, scenarios) write the attempt or run and its judgements in the results
ledger in one transaction, then announce it with ``result_graded``, which is sent only once
that transaction has committed. The roof listens: certification evaluates the module's
policy at once after a pass (the trainee sees a certificate earned by this very result), and
in the task worker after any other result (which cannot earn one, but repairs a certificate a
failure left unawarded); reporting queues the recount of its rollups for the task worker.
Each runs in its own transaction, recomputes from what is stored or claims its work once (so
running it twice changes nothing), and a failure in one is logged without undoing the grade
or stopping the others; the next result graded, or a rebuild, repairs it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent with: trainee_id, module_id, source ("quiz" or "call"), record (the attempt or run id),
# at (when it was graded) and passed (whether the result met its pass mark).
result_graded = Signal()


def announce_graded(
    *,
    trainee_id: int,
    module_id: int,
    source: str,
    record: int,
    at: datetime,
    passed: bool = True,
) -> None:
    """Send ``result_graded`` once the current transaction commits (at once outside one)."""

    def send() -> None:
        for receiver, response in result_graded.send_robust(
            sender=source,
            trainee_id=trainee_id,
            module_id=module_id,
            source=source,
            record=record,
            at=at,
            passed=passed,
        ):
            if isinstance(response, Exception):
                logger.error(
                    "%s failed after %s %s was graded",
                    getattr(receiver, "__qualname__", receiver),
                    source,
                    record,
                    exc_info=(type(response), response, response.__traceback__),
                )

    transaction.on_commit(send)
