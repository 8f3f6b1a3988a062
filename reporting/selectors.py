"""Reads of the trainers' overview pages: what each module holds, and how the questions and
calls cover the manual's behaviours."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from quizzes.models import Question
from scenarios.coverage import exercised
from scenarios.models import Scenario, ScenarioVersion
from training.coverage import BehaviorCoverage, BehaviorRef, coverage
from training.models import Behavior, Module, Procedure, Publication


def _count_of(queryset, field: str):
    """A correlated COUNT subquery: several of these on one row never multiply each other."""
    return Subquery(
        queryset.order_by().values(field).annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def publications():
    """The publication log, newest first, with its module and author."""
    return Publication.objects.select_related("module", "by").order_by("-at", "-pk")


def modules_for_authoring():
    """Modules with what a trainer maintains in each: procedures, behaviours, active questions
    (also per procedure) and calls."""
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
        v.scenario.slug: (v.pk, v.content_hash, v.definition)
        for v in ScenarioVersion.objects.current()
        .filter(scenario__is_active=True)
        .select_related("scenario")
    }
    return behaviors, tags, calls


def coverage_of(behaviors, tags, calls) -> list[BehaviorCoverage]:
    """The coverage of ``behaviors`` by questions (key -> codes) and calls (slug -> (version
    id, content hash, definition)). What a call exercises is worked out over every case of its
    facts, so it is kept in the cache per version: a version never changes once written."""
    whole = (
        "coverage:report:"
        + hashlib.sha256(
            repr(
                (
                    behaviors,
                    sorted((key, sorted(codes)) for key, codes in tags.items()),
                    sorted((slug, v[0], v[1]) for slug, v in calls.items()),
                )
            ).encode()
        ).hexdigest()
    )
    found = cache.get(whole)
    if found is not None:
        return found
    exercises = {}
    for slug, (version_id, content_hash, definition) in calls.items():
        key = f"coverage:call:{version_id}:{content_hash}"
        found = cache.get(key)
        if found is None:
            found = {code: (e.judged, e.cases) for code, e in exercised(definition).items()}
            cache.set(key, found, timeout=None)
        exercises[slug] = found
    report = coverage(behaviors, tags, exercises)
    cache.set(whole, report, timeout=None)
    return report
