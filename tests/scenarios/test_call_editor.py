"""The call editor: a trainer revises a call as the YAML of its pack file on a draft, checked
exactly as the loader checks a file (same messages, same lines), drawn with its dead ends and
unreachable steps, and published as a new version that runs already played never see."""

from textwrap import dedent

import pytest
import yaml
from django.urls import reverse

from scenarios import authoring, services
from scenarios.drawing import draw
from scenarios.graph import Scenario as CallGraph
from scenarios.models import CallDraft, Run, Scenario, ScenarioVersion
from tests.e2e.call_source import CALL
from tests.factories import UserFactory
from training.models import Judgement, Module, Publication
from training.pack.loader import index_from_database
from training.pack.source import PackInvalid, SourceFile
from training.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(small_pack, publisher):
    """A fair call (no guessing bot passes it) written and published in the editor."""
    draft = authoring.call_draft_save(
        module=Module.objects.get(slug="promessa"),
        slug="religue-teste",
        source=CALL,
        author=publisher,
    )
    authoring.call_draft_publish(draft.pk, by=publisher)
    return Scenario.objects.get(slug="religue-teste")


def edited(source: str, change) -> str:
    data = yaml.safe_load(source)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_published_call_opens_as_a_draft_that_passes_every_check(call, publisher):
    draft = authoring.call_draft_open(call, author=publisher)
    content, problems = authoring.call_problems(draft.source)
    assert problems == []
    assert content.slug == call.slug and draft.base_version == 1


def test_publishing_a_revision_makes_a_new_version_and_old_runs_keep_theirs(
    call, publisher, trainee
):
    run = services.run_start(user=trainee, scenario=call)
    draft = authoring.call_draft_open(call, author=publisher)

    def reword(data):
        data["steps"][0]["customer"] = "Cortaram o meu sinal hoje de manhã."

    draft.source = edited(draft.source, reword)
    draft.save()
    publication = authoring.call_draft_publish(draft.pk, by=publisher)

    call.refresh_from_db()
    assert call.version == 2
    assert (
        ScenarioVersion.objects.get(scenario=call, number=2)
        .definition["steps"][0]["customer"]
        .startswith("Cortaram")
    )
    run.refresh_from_db()
    assert run.version.number == 1
    assert publication.source == Publication.Source.EDITOR
    assert publication.items == [f"call:{call.slug}"]
    assert "TESTE.SEM_APTIDAO" in publication.behaviors["revised"]
    assert publication.behaviors["added"] == publication.behaviors["removed"] == []
    assert Module.objects.get(pk=call.module_id).edited_at is not None
    assert not CallDraft.objects.exists()


def test_a_violation_that_costs_nothing_is_named_and_not_published(call, publisher):
    draft = authoring.call_draft_open(call, author=publisher)

    def forgive(data):
        data["rubric"]["items"] = [
            i for i in data["rubric"]["items"] if i["behavior"] != "TESTE.RECUSA"
        ]

    draft.source = edited(draft.source, forgive)
    draft.save()
    _content, problems = authoring.call_problems(draft.source)
    assert any("TESTE.RECUSA" in p for p in problems), problems
    with pytest.raises(authoring.Unpublishable):
        authoring.call_draft_publish(draft.pk, by=publisher)
    call.refresh_from_db()
    assert call.version == 1


BAD_CALLS = {
    "malformed YAML": lambda s: s.replace("steps:", "steps: [", 1),
    "a foreign tag": lambda s: s.replace("title:", "title: !!python/name:os.system", 1),
    "an unknown behaviour": lambda s: s.replace("TESTE.APTO", "TESTE.NAO_EXISTE", 1),
    "a dead end": lambda s: edited(
        s, lambda d: d["steps"].append({"id": "beco", "customer": "E agora?"})
    ),
    "a choice leading nowhere": lambda s: edited(
        s, lambda d: d["steps"][0]["choices"][0].update(next="lugar-nenhum")
    ),
    "a condition outside the language": lambda s: edited(
        s, lambda d: d["steps"][0]["choices"][0].update(when="__import__('os')")
    ),
    "a NUL character": lambda s: s.replace("Meu sinal", "Meu\x00 sinal", 1),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
def test_the_editor_and_the_loader_refuse_a_call_alike(case, call, publisher, tmp_path):
    from scenarios.pack import ScenarioSection, call_errors
    from training.pack.source import parse_yaml

    source = BAD_CALLS[case](authoring.call_source(call))
    index = index_from_database()
    _content, from_editor = call_errors(source, index)
    try:
        file = parse_yaml(source, f"scenarios/{call.slug}.yaml")
        from_loader = ScenarioSection().validate([file], index)
    except PackInvalid as exc:
        from_loader = list(exc.errors)
    assert from_editor, case
    assert [(e.line, e.path, e.message) for e in from_editor] == [
        (e.line, e.path, e.message) for e in from_loader
    ]


def test_the_drawing_marks_dead_ends_and_unreachable_steps(call):
    definition = dict(call.versions.get().definition)
    steps = list(definition["steps"])
    steps.append({"id": "beco", "customer": "E agora?", "choices": []})
    steps.append({"id": "<script>", "customer": "x", "outcome": "fim"})
    drawing = draw(CallGraph.from_definition({**definition, "steps": steps}), {"TESTE.SEGUNDA"})
    assert drawing.unreachable == ("beco", "<script>")
    assert drawing.dead_ends == ("beco",)
    assert "<script>" not in drawing.svg and "&lt;script&gt;" in drawing.svg
    assert drawing.svg.startswith("<svg") and 'role="img"' in drawing.svg


def test_a_preview_plays_the_fact_case_chosen_and_records_nothing(call, client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("scenarios:preview_case", args=[call.slug]), {"case": "0"})
    run = Run.objects.get(user=trainer)
    assert response.url == run.get_absolute_url()
    assert run.is_preview
    from scenarios.checks import fact_cases

    assert run.facts == dict(fact_cases(CallGraph.from_definition(run.version.definition))[0])
    services.run_finish(run=run)
    assert not Judgement.objects.exists()
    for bad in ("99999", "-1", "x", "\x00", "1" * 40):
        response = client.post(reverse("scenarios:preview_case", args=[call.slug]), {"case": bad})
        assert response.status_code == 404


def test_reverting_publishes_the_old_version_again(call, publisher):
    draft = authoring.call_draft_open(call, author=publisher)
    draft.source = edited(draft.source, lambda d: d["steps"][0].update(customer="Outra fala."))
    draft.save()
    authoring.call_draft_publish(draft.pk, by=publisher)

    reverted = authoring.call_revert(Scenario.objects.get(pk=call.pk), number=1, author=publisher)
    assert yaml.safe_load(reverted.source)["steps"][0]["customer"].startswith("Meu sinal")
    publication = authoring.call_draft_publish(reverted.pk, by=publisher)
    call.refresh_from_db()
    assert call.version == 3
    third = call.versions.get(number=3).definition
    assert third["steps"][0]["customer"].startswith("Meu sinal")
    assert publication.source == Publication.Source.REVERT


def test_a_new_call_is_written_saved_and_published(call, client, publisher):
    source = authoring.call_source(call).replace(f"slug: {call.slug}", "slug: promessa-nova", 1)
    client.force_login(publisher)
    url = reverse("scenarios:call_new") + f"?module={call.module.slug}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"source": source})
    draft = CallDraft.objects.get(slug="promessa-nova")
    assert response.url == draft.get_absolute_url()
    page = client.get(response.url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    client.post(reverse("scenarios:draft_publish", args=[draft.pk]))
    assert Scenario.objects.get(slug="promessa-nova").versions.count() == 1


def test_a_slug_taken_or_a_nul_byte_is_refused_with_a_message(call, client, trainer):
    client.force_login(trainer)
    url = reverse("scenarios:call_new") + f"?module={call.module.slug}"
    taken = client.post(url, {"source": authoring.call_source(call)})
    assert taken.status_code == 200 and taken.context["form"].errors
    nul = client.post(url, {"source": "slug: x\x00"})
    assert nul.status_code == 200 and nul.context["form"].errors
    assert not CallDraft.objects.exists()


def test_the_live_check_draws_the_call(call, client, trainer):
    client.force_login(trainer)
    page = client.post(reverse("scenarios:editor_check"), {"source": authoring.call_source(call)})
    assert "<svg" in page.content.decode()
    broken = client.post(reverse("scenarios:editor_check"), {"source": "slug: [x"})
    assert "malformed YAML" in broken.content.decode()


def test_managers_trainees_and_trainers_without_the_permission(call, client, trainee, manager):
    trainer = UserFactory(username="tomas", roles=[Role.TRAINER])
    draft = authoring.call_draft_open(call, author=trainer)
    for user in (trainee, manager):
        client.force_login(user)
        for name, args, method in [
            ("scenarios:call_new", [], "get"),
            ("scenarios:call_edit", [call.slug], "post"),
            ("scenarios:call_history", [call.slug], "get"),
            ("scenarios:call_revert", [call.slug], "post"),
            ("scenarios:preview_case", [call.slug], "post"),
            ("scenarios:editor_check", [], "post"),
            ("scenarios:draft_detail", [draft.pk], "get"),
            ("scenarios:draft_edit", [draft.pk], "get"),
            ("scenarios:draft_publish", [draft.pk], "post"),
            ("scenarios:draft_discard", [draft.pk], "post"),
        ]:
            assert getattr(client, method)(reverse(name, args=args)).status_code == 403
    client.force_login(trainer)
    assert client.post(reverse("scenarios:draft_publish", args=[draft.pk])).status_code == 403
    assert CallDraft.objects.filter(pk=draft.pk).exists()


def test_the_history_shows_what_changed(call, client, publisher):
    draft = authoring.call_draft_open(call, author=publisher)
    draft.source = edited(
        draft.source, lambda d: d["steps"][0].update(customer="Resumo novo da ligação.")
    )
    draft.save()
    authoring.call_draft_publish(draft.pk, by=publisher)
    client.force_login(publisher)
    page = client.get(reverse("scenarios:call_history", args=[call.slug])).content.decode()
    assert "+  customer: Resumo novo da ligação." in page
    assert dedent("v2") in page and "v1" in page


def test_source_file_lines_point_into_the_text(call):
    from scenarios.pack import call_errors

    source = authoring.call_source(call).replace("TESTE.APTO", "TESTE.NAO_EXISTE", 1)
    _content, errors = call_errors(source, index_from_database())
    line = source.splitlines()[errors[0].line - 1]
    assert "TESTE.NAO_EXISTE" in line
    assert isinstance(SourceFile, type)


def test_a_call_a_guessing_bot_passes_too_often_is_not_published(small_pack, publisher):
    """With one right line against one wrong at each decision, a bot picking at random
    passes a quarter of the runs: the draft says so and publishing refuses it."""

    def fewer_wrong_lines(data):
        data["steps"][0]["choices"] = [
            c for c in data["steps"][0]["choices"] if c["id"] != "recusar-direto"
        ]
        data["steps"][1]["choices"] = [
            c for c in data["steps"][1]["choices"] if c["id"] != "consultar"
        ]

    module = Module.objects.get(slug="promessa")
    guessable = authoring.call_draft_save(
        module=module, slug="religue-teste", source=edited(CALL, fewer_wrong_lines), author=None
    )
    with pytest.raises(authoring.Unpublishable) as refused:
        authoring.call_draft_publish(guessable.pk, by=publisher)
    assert "ao acaso" in " ".join(refused.value.problems)
    assert not Scenario.objects.filter(slug="religue-teste").exists()

    fair = authoring.call_draft_save(
        module=module, slug="religue-teste", source=CALL, author=None, draft=guessable
    )
    authoring.call_draft_publish(fair.pk, by=publisher)
    assert Scenario.objects.get(slug="religue-teste").version == 1
