"""xAPI statements from the results ledger (pure Python, no Django): one statement per behaviour
judged in a graded quiz attempt or call run, saying who (the agent's account on this site),
what (passed or failed), which behaviour (an activity per behaviour code), where (the quiz
questions or call turns and the items that decided it) and when. Statement ids are derived
from the judgement, so sending one twice never records it twice in the LRS.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

XAPI_VERSION = "1.0.3"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
INTERACTION = "http://adlnet.gov/expapi/activities/interaction"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
# A namespace of our own for statement ids: uuid5(namespace, judgement key).
NAMESPACE = uuid.UUID("6f3c7c52-1d0e-4d5b-9a3e-7b5d2c1a9e40")


@dataclass(frozen=True)
class Judged:
    """What a statement says: one row of the results ledger, with the names it needs."""

    username: str
    full_name: str
    code: str
    label: str
    source: str  # "quiz" or "call"
    record: int
    record_title: str
    verdict: str  # "kept", "missed" or "violated"
    evidence: Mapping[str, object]
    judged_at: datetime
    content_version: int


def statement_id(source: str, record: int, code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{source}:{record}:{code}"))


def statement(judged: Judged, site: str) -> dict[str, object]:
    """The xAPI 1.0.3 statement of one judgement; ``site`` is the site's absolute address."""
    kept = judged.verdict == "kept"
    parent_type = ASSESSMENT if judged.source == "quiz" else SIMULATION
    parent_path = "quizzes/attempts" if judged.source == "quiz" else "calls/runs"
    return {
        "id": statement_id(judged.source, judged.record, judged.code),
        "actor": {
            "objectType": "Agent",
            "name": judged.full_name or judged.username,
            "account": {"homePage": site, "name": judged.username},
        },
        "verb": {
            "id": PASSED if kept else FAILED,
            "display": {"en-US": "passed" if kept else "failed"},
        },
        "object": {
            "objectType": "Activity",
            "id": f"{site}/behaviours/{judged.code}",
            "definition": {
                "type": INTERACTION,
                "name": {"pt-BR": judged.label},
            },
        },
        "result": {
            "success": kept,
            "extensions": {
                f"{site}/xapi/verdict": judged.verdict,
                f"{site}/xapi/evidence": dict(judged.evidence),
            },
        },
        "context": {
            "contextActivities": {
                "parent": [
                    {
                        "objectType": "Activity",
                        "id": f"{site}/{parent_path}/{judged.record}",
                        "definition": {
                            "type": parent_type,
                            "name": {"pt-BR": judged.record_title},
                        },
                    }
                ]
            },
            "revision": str(judged.content_version),
            "language": "pt-BR",
        },
        "timestamp": judged.judged_at.isoformat(),
        "version": XAPI_VERSION,
    }
