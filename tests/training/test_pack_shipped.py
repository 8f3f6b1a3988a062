"""The pack shipped in content/: it loads cleanly with every section registered, it holds a
procedure for every module and a behaviour for every procedure, and it survives a round trip."""

import pytest
import yaml
from django.conf import settings

from training.models import Behavior, Module, Procedure
from training.pack.loader import export_pack, load_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    if not any((settings.CONTENT_DIR / "modules").glob("*.yaml")):
        pytest.skip(f"no module files in {settings.CONTENT_DIR / 'modules'} yet")
    return settings.CONTENT_DIR


def test_the_shipped_pack_loads_cleanly(shipped):
    # Its speed is measured by benchmarks/pack_load.py, not asserted here.
    report = load_pack(shipped)

    assert report.counts["modules"]["created"] == Module.objects.count() > 0


def test_every_shipped_module_has_procedures_and_every_procedure_has_behaviours(shipped):
    load_pack(shipped)

    assert not Module.objects.filter(procedures=None).exists()
    assert not Procedure.objects.filter(behaviors=None).exists()
    assert not Behavior.objects.filter(manual_quote="").exists()


def test_the_shipped_pack_loads_twice_without_a_change(shipped):
    load_pack(shipped)
    report = load_pack(shipped)

    assert report.total("created") == report.total("updated") == report.total("deleted") == 0
    assert set(Module.objects.values_list("version", flat=True)) == {1}


def test_the_shipped_curriculum_exports_to_the_same_data(shipped, tmp_path):
    load_pack(shipped)
    written = export_pack(tmp_path / "content")

    exported = [read(p) for p in written if p.parent.name == "modules"]
    by_slug = {data["module"]["slug"]: data for data in exported}
    originals = [read(p) for p in sorted((shipped / "modules").glob("*.yaml"))]
    assert len(exported) == len(originals)
    for data in originals:
        slug = data["module"]["slug"]
        assert without_defaults(by_slug[slug]) == without_defaults(data), slug


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def without_defaults(data):
    """Module data as the loader reads it: empty descriptions and interpretations are the
    defaults an author may or may not write."""
    for procedure in data["procedures"]:
        for behavior in procedure["behaviors"]:
            for key in ("description", "interpretation"):
                if behavior.get(key) == "":
                    del behavior[key]
    return data


def test_after_browser_edits_export_load_export_is_byte_identical(shipped, tmp_path):
    """A question and a call of the shipped pack revised and published in the browser; the
    export of it loads back without a change and exports to the very same bytes."""
    import yaml

    from quizzes import authoring as question_authoring
    from quizzes.models import Question
    from scenarios import authoring as call_authoring
    from scenarios.models import Scenario
    from tests.factories import UserFactory

    load_pack(shipped)
    trainer = UserFactory(username="paula", is_superuser=True)
    question = Question.objects.filter(is_active=True).order_by("key").first()
    draft = question_authoring.question_draft_open(question, author=trainer)
    draft.entry = {**draft.entry, "explanation": draft.entry["explanation"] + " (revisada)"}
    draft.save()
    question_authoring.question_draft_publish(draft.pk, by=trainer)
    call = Scenario.objects.order_by("slug").first()
    call_draft = call_authoring.call_draft_open(call, author=trainer)
    data = yaml.safe_load(call_draft.source)
    data["steps"][0]["customer"] += " Por favor."
    call_draft.source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    call_draft.save()
    call_authoring.call_draft_publish(call_draft.pk, by=trainer)

    first = tmp_path / "first"
    export_pack(first)
    report = load_pack(first)
    assert report.modules_changed == [] and report.overwrites == []
    second = tmp_path / "second"
    export_pack(second)
    names = sorted(p.relative_to(first) for p in first.rglob("*.yaml"))
    assert names == sorted(p.relative_to(second) for p in second.rglob("*.yaml"))
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "(revisada)" in (first / "quizzes").joinpath(
        f"{question.procedure.module.slug}.yaml"
    ).read_text(encoding="utf-8")
