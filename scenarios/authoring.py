"""Writing calls in the browser: a draft holds the YAML of the call's pack file, is checked as
the loader checks a file, and is published as a new immutable version of the call (runs keep
the version they were played on), or reverted from any earlier version into a new draft."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from scenarios.graph import Scenario as CallGraph
from scenarios.guessers import MAX_PASS_SHARE, CallFigures, call_figures
from scenarios.models import CallDraft, Scenario, ScenarioVersion
from scenarios.pack import ScenarioFile, call_codes, call_errors, call_file_data
from training.audit import audit_record
from training.guessing import guessers
from training.models import AuditEvent, Module, Procedure, Publication, Unpublishable
from training.pack.loader import digest, index_from_database
from training.pack.source import dump_yaml
from training.selectors import manual_text
from training.templatetags.guessers import guesser as guesser_label

# Shown orders each order-dependent bot plays per fact case before a call may go live.
BOT_ORDERS = 64


def call_problems(source: str) -> tuple[ScenarioFile | None, list[str]]:
    """The call a draft's text makes, or every problem the loader would report, as
    ``line N: path: message``."""
    content, errors = call_errors(source, index_from_database())
    line = _("line")
    return content, [
        f"{line} {e.line}: {e.path}: {e.message}" if e.path else f"{line} {e.line}: {e.message}"
        for e in errors
    ]


def call_source(scenario: Scenario, version: ScenarioVersion | None = None) -> str:
    """The YAML of the call's pack file, at ``version`` (its current one by default)."""
    if version is None:
        version = scenario.versions.get(number=scenario.version)
    return dump_yaml(call_file_data(scenario, version.definition))


def current_call(scenario: Scenario) -> ScenarioFile | None:
    """The call's current version as the pack's model (None if it no longer fits the
    schema)."""
    version = scenario.versions.get(number=scenario.version)
    try:
        return ScenarioFile.model_validate(call_file_data(scenario, version.definition))
    except ValidationError:
        return None


def slug_taken(slug: str, *, draft: CallDraft | None = None) -> bool:
    drafts = CallDraft.objects.filter(slug=slug)
    if draft is not None:
        drafts = drafts.exclude(pk=draft.pk)
    return Scenario.objects.filter(slug=slug).exists() or drafts.exists()


@transaction.atomic
def call_draft_save(
    *, module: Module, slug: str, source: str, author, draft: CallDraft | None = None
) -> CallDraft:
    """Create or update a draft (checked or not: a draft may be unfinished)."""
    if draft is None:
        draft = CallDraft(module=module, slug=slug)
    draft.source = source
    draft.reverted_from = None
    draft.author = author
    draft.save()
    return draft


@transaction.atomic
def call_draft_open(scenario: Scenario, *, author) -> CallDraft:
    """The open draft of ``scenario``, started from its current version if there is none."""
    draft = CallDraft.objects.select_for_update().filter(scenario=scenario).first()
    if draft is not None:
        return draft
    return CallDraft.objects.create(
        module=scenario.module,
        slug=scenario.slug,
        scenario=scenario,
        source=call_source(scenario),
        base_version=scenario.version,
        author=author,
    )


@transaction.atomic
def call_revert(scenario: Scenario, *, number: int, author) -> CallDraft:
    """A draft holding version ``number`` of the call, published only when a trainer
    publishes it (checked against today's curriculum like any draft)."""
    version = scenario.versions.get(number=number)
    draft = call_draft_open(scenario, author=author)
    draft.source = call_source(scenario, version)
    draft.reverted_from = number
    draft.author = author
    draft.save()
    return draft


def bot_figures(content: ScenarioFile) -> CallFigures:
    """How often each guessing bot passes the call, over its fact cases and shown orders; more
    orders than the pack-wide figures use, since one call's share is judged on its own."""
    call = CallGraph.from_definition(content.definition())
    return call_figures(call, guessers=guessers(manual_text()), orders=BOT_ORDERS)


def guessers_passing(figures: CallFigures) -> list[str]:
    """What stops a call a bot can pass by guessing from going live: every guessing bot that
    passes more than MAX_PASS_SHARE of its fact cases (and shown orders)."""
    return [
        _(
            "A bot that never read the manual passes this call too often (%(who)s: %(share)s "
            "of the fact cases; at most %(most)s): add decisions, or wrong lines a real agent "
            "would say, as long and polite as the right one."
        )
        % {"who": guesser_label(name), "share": f"{share:.0%}", "most": f"{MAX_PASS_SHARE:.0%}"}
        for name, share in sorted(figures.passed.items())
        if share > MAX_PASS_SHARE
    ]


def call_behavior_changes(before: ScenarioFile | None, after: ScenarioFile) -> dict[str, list[str]]:
    new, old = call_codes(after), call_codes(before) if before else set()
    changed = before is None or digest(before.definition()) != digest(after.definition())
    return {
        "added": sorted(new - old),
        "removed": sorted(old - new),
        "revised": sorted(new & old) if changed else [],
    }


def call_draft_publish(draft_pk: int, *, by) -> Publication:
    """Publish the draft as a new version of the call: checked as the loader would, the call's
    own fields updated, a new frozen definition, a new version of its module, the change
    logged with the behaviours it touched. Raises Unpublishable, writing nothing."""
    with transaction.atomic():
        draft = (
            CallDraft.objects.select_for_update(of=("self",))
            .select_related("module", "scenario")
            .filter(pk=draft_pk)
            .first()
        )
        if draft is None:
            raise Unpublishable([_("This draft was already published or discarded.")])
        content, problems = call_problems(draft.source)
        if problems:
            raise Unpublishable(problems)
        too_often = guessers_passing(bot_figures(content))
        if too_often:
            raise Unpublishable(too_often)
        if content.slug != draft.slug:
            raise Unpublishable([_("The slug of a call cannot change (it is %s).") % draft.slug])
        scenario = Scenario.objects.select_for_update().filter(slug=content.slug).first()
        if draft.scenario_id is None and scenario is not None:
            raise Unpublishable([_("Another call already has the slug %s.") % content.slug])
        if scenario is not None and scenario.version != draft.base_version:
            raise Unpublishable(
                [
                    _(
                        "The call changed since this draft started (version %(then)s, now "
                        "%(now)s): start again from the published version."
                    )
                    % {"then": draft.base_version, "now": scenario.version}
                ]
            )
        before = None
        if scenario is not None:
            current = scenario.versions.get(number=scenario.version)
            before = current_call(scenario)
            if digest(current.definition) == digest(content.definition()) and (
                scenario.module.slug == content.module
                and scenario.title == content.title
                and scenario.summary == content.summary
                and scenario.order == content.order
                and sorted(p.slug for p in scenario.procedures.all()) == sorted(content.procedures)
            ):
                raise Unpublishable([_("Nothing changed since the published version.")])
        module = Module.objects.select_for_update().get(slug=content.module)
        values = {
            "module": module,
            "title": content.title,
            "summary": content.summary,
            "order": content.order,
            "is_active": True,
        }
        if scenario is None:
            scenario = Scenario.objects.create(slug=content.slug, version=1, **values)
        else:
            scenario.version += 1
            for name, value in values.items():
                setattr(scenario, name, value)
            scenario.save()
        scenario.procedures.set(Procedure.objects.filter(slug__in=content.procedures))
        definition = content.definition()
        ScenarioVersion.objects.create(
            scenario=scenario,
            number=scenario.version,
            definition=definition,
            content_hash=digest(definition),
        )
        Module.objects.filter(pk__in={module.pk, draft.module_id}).update(
            version=F("version") + 1, edited_at=timezone.now(), content_hash=""
        )
        module.refresh_from_db(fields=["version"])
        publication = Publication.objects.create(
            module=module,
            version=module.version,
            source=Publication.Source.REVERT if draft.reverted_from else Publication.Source.EDITOR,
            by=by,
            items=[f"call:{content.slug}"],
            behaviors=call_behavior_changes(before, content),
        )
        audit_record(
            AuditEvent.Action.CONTENT_PUBLISHED,
            subject=f"call {content.slug}",
            details={"module": module.slug, "version": module.version, "call": scenario.version},
            actor_id=by.pk if by else None,
        )
        draft.delete()
    return publication


@transaction.atomic
def call_draft_discard(draft: CallDraft) -> None:
    CallDraft.objects.filter(pk=draft.pk).delete()
