"""What publishing a change would do to certificates: which valid certificates of the module
rest on the behaviours it changes, and which questions and calls judge those behaviours (what
a targeted recertification would ask the holders to retake). Read before publishing, as a
dry run; the count is what the publication log then records."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from certification.models import Certification
from quizzes.models import Question
from scenarios.graph import Scenario as CallGraph
from scenarios.models import ScenarioVersion
from training.models import Module


@dataclass(frozen=True)
class Impact:
    certificates: int
    behaviors: tuple[str, ...]
    questions: int
    calls: list[str] = field(default_factory=list)


def delta_codes(changes: dict[str, list[str]]) -> tuple[str, ...]:
    """The behaviours a holder must pass again after a change: those added or revised (a
    behaviour removed from the content cannot be asked again)."""
    return tuple(sorted({c for key in ("added", "revised") for c in changes.get(key, [])}))


def standing_certificates(module: Module, now):
    """The certificates of ``module`` that stand now: what a change to it recertifies."""
    return Certification.objects.latest_per_module().filter(
        module=module, revoked_at__isnull=True, expires_at__gt=now
    )


def impact_of(module: Module, changes: dict[str, list[str]]) -> Impact:
    """Certificates of ``module`` standing now that a change of these behaviour codes would
    touch, and the practice that covers exactly those codes: what publishing then assigns
    (``certification.services.recertification_assign``)."""
    codes = delta_codes(changes)
    if not codes:
        return Impact(0, (), 0)
    standing = standing_certificates(module, timezone.now()).count()
    questions = Question.objects.active().filter(behaviors__code__in=codes).distinct().count()
    calls = []
    for slug, definition in (
        ScenarioVersion.objects.current()
        .filter(scenario__is_active=True)
        .values_list("scenario__slug", "definition")
    ):
        call = CallGraph.from_definition(definition)
        judged = {item.behavior for item in call.rubric.items}
        judged.update(code for step in call.steps for c in step.choices for code in c.behaviors)
        if judged & set(codes):
            calls.append(slug)
    return Impact(standing, codes, questions, sorted(calls))
