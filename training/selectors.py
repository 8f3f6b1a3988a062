"""Named reads of the curriculum and teams, with their joins built in."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from training.coverage import BehaviorCoverage, BehaviorRef, coverage
from training.models import Behavior, Module, Procedure


def manual_text() -> str:
    """The manual's words as the curriculum quotes them, for the guesser who echoes them."""
    return "\n".join(Behavior.objects.order_by("pk").values_list("manual_quote", flat=True))


def modules_for_listing():
    return Module.objects.with_counts().order_by("order", "slug")


def _procedures_with_counts():
    """Procedures with how many behaviours of each kind they hold, counted in the database."""
    return Procedure.objects.annotate(
        behavior_count=Count("behaviors"),
        **{
            f"{kind}_count": Count("behaviors", filter=Q(behaviors__kind=kind))
            for kind in Behavior.Kind.values
        },
    ).order_by("order", "slug")


def module_with_procedures(slug: str) -> Module:
    """A module with its counts and its procedures in reading order, in two queries."""
    return (
        Module.objects.with_counts()
        .prefetch_related(Prefetch("procedures", queryset=_procedures_with_counts()))
        .get(slug=slug)
    )


def procedure_for_reading(module_slug: str, slug: str) -> Procedure:
    """A procedure of the given module with its module and its behaviours in the manual's order."""
    return (
        Procedure.objects.select_related("module")
        .prefetch_related(
            Prefetch("behaviors", queryset=Behavior.objects.order_by("order", "code"))
        )
        .get(module__slug=module_slug, slug=slug)
    )


def procedure_neighbours(procedure: Procedure) -> tuple[Procedure | None, Procedure | None]:
    """The procedures before and after this one in its module, for reading them in turn."""
    siblings = list(
        Procedure.objects.filter(module_id=procedure.module_id)
        .order_by("order", "slug")
        .only("slug", "title")
    )
    at = next(i for i, p in enumerate(siblings) if p.pk == procedure.pk)
    before = siblings[at - 1] if at > 0 else None
    after = siblings[at + 1] if at + 1 < len(siblings) else None
    return before, after


def _count_of(queryset, field: str):
    """A correlated COUNT subquery: several of these on one row never multiply each other."""
    return Subquery(
        queryset.order_by().values(field).annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def modules_for_authoring():
    """Modules with what a trainer maintains in each: procedures, behaviours, active questions
    (also per procedure) and calls."""
    from quizzes.models import Question
    from scenarios.models import Scenario

    procedures = Procedure.objects.order_by("order", "slug").annotate(
        question_count=Coalesce(
            _count_of(Question.objects.active().filter(procedure=OuterRef("pk")), "procedure"), 0
        ),
        behavior_count=Count("behaviors"),
    )
    return (
        Module.objects.order_by("order", "slug")
        .annotate(
            procedure_count=Coalesce(
                _count_of(Procedure.objects.filter(module=OuterRef("pk")), "module"), 0
            ),
            behavior_count=Coalesce(
                _count_of(
                    Behavior.objects.filter(procedure__module=OuterRef("pk")), "procedure__module"
                ),
                0,
            ),
            question_count=Coalesce(
                _count_of(
                    Question.objects.active().filter(procedure__module=OuterRef("pk")),
                    "procedure__module",
                ),
                0,
            ),
            call_count=Coalesce(
                _count_of(Scenario.objects.active().filter(module=OuterRef("pk")), "module"), 0
            ),
        )
        .prefetch_related(Prefetch("procedures", queryset=procedures))
    )


def coverage_sources():
    """What the coverage report reads from the database: every behaviour, each active
    question's codes, and each active call's current definition."""
    from quizzes.models import Question
    from scenarios.models import ScenarioVersion

    behaviors = [
        BehaviorRef(b.procedure.module.slug, b.procedure.slug, b.code, b.label, b.kind)
        for b in Behavior.objects.select_related("procedure__module").order_by(
            "procedure__module__order", "procedure__order", "order", "code"
        )
    ]
    tags: dict[str, set[str]] = {}
    for key, code in Question.objects.active().values_list("key", "behaviors__code"):
        if code:
            tags.setdefault(key, set()).add(code)
    calls = {
        v.scenario.slug: v.definition
        for v in ScenarioVersion.objects.current()
        .filter(scenario__is_active=True)
        .select_related("scenario")
    }
    return behaviors, tags, calls


def coverage_of(behaviors, tags, calls) -> list[BehaviorCoverage]:
    """The coverage of ``behaviors`` by questions (key -> codes) and calls (slug -> definition)."""
    from scenarios.coverage import exercised

    exercises = {
        slug: {code: (e.judged, e.cases) for code, e in exercised(definition).items()}
        for slug, definition in calls.items()
    }
    return coverage(behaviors, tags, exercises)
