"""The question editor: a trainer writes on a draft checked as the loader checks a pack, previews
any fact case, and only a trainer with the publish permission publishes it as a new version of
the question and of its module, with its history; a pack load then refuses to overwrite it
unless forced, and an export makes the pack the truth again."""

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from quizzes import authoring
from quizzes.editor import entry_problems
from quizzes.models import Question, QuestionDraft
from tests.quizzes.test_one_validation_path import BAD, GOOD, pack_messages
from training.models import Module, Publication
from training.pack.loader import EditedInBrowser, export_pack, load_pack

pytestmark = pytest.mark.django_db


def form_data(entry: dict, *, facts=None, options=None, **extra) -> dict:
    """What the editor's form posts for ``entry`` (a single choice question)."""
    from training.models import Procedure

    facts = entry.get("facts", []) if facts is None else facts
    options = entry.get("options", []) if options is None else options
    data = {
        "key": entry["key"],
        "procedure": Procedure.objects.get(slug=entry["procedure"]).pk,
        "stem": entry["stem"],
        "explanation": entry["explanation"],
        "manual": entry["manual"],
        "facts-TOTAL_FORMS": len(facts),
        "facts-INITIAL_FORMS": 0,
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": 0,
        **extra,
    }
    for n, fact in enumerate(facts):
        for name in ("name", "kind", "label", "min", "max"):
            if fact.get(name) is not None:
                data[f"facts-{n}-{name}"] = fact[name]
        if fact.get("choices"):
            data[f"facts-{n}-choices"] = "\n".join(map(str, fact["choices"]))
    for n, option in enumerate(options):
        data[f"options-{n}-text"] = option["text"]
        if option.get("correct"):
            data[f"options-{n}-correct"] = "on"
        data[f"options-{n}-correct_when"] = option.get("correct_when", "")
        data[f"options-{n}-behaviors"] = option.get("behaviors", [])
        data[f"options-{n}-breaks"] = option.get("breaks", [])
    return data


NEW = {
    **GOOD,
    "key": "pergunta-nova",
    "stem": "{cliente} quer o religue; a fatura está aberta há {dias} dias. O que fazer?",
    "options": [
        {
            "text": "Registrar o religue em confiança, informando o prazo ao cliente",
            "correct_when": "dias > 4",
            "breaks": ["TESTE.SEM_APTIDAO"],
        },
        {
            "text": "Recusar o religue, pedindo ao cliente que pague a fatura antes",
            "correct_when": "dias <= 4",
            "breaks": ["TESTE.RECUSA"],
        },
    ],
}


# The right option the longest, the wrong one absolute: a guesser's gift.
GIVEAWAY = {
    **GOOD,
    "facts": [],
    "stem": "O cliente pede o religue com a fatura aberta. O que fazer?",
    "options": [
        {
            "text": "Registrar o religue em confiança e informar o prazo ao cliente, "
            "como o procedimento pede",
            "correct": True,
        },
        {"text": "Recusar sempre", "breaks": ["TESTE.RECUSA"]},
    ],
}


def test_a_trainer_writes_a_draft_that_trainees_do_not_see(small_pack, client, trainer):
    client.force_login(trainer)
    url = reverse("quizzes:question_new", args=["regras"]) + "?kind=single"
    assert client.get(url).status_code == 200

    response = client.post(url, form_data(NEW))

    draft = QuestionDraft.objects.get(key="pergunta-nova")
    assert response.status_code == 302
    assert response.url == reverse("quizzes:draft_detail", args=[draft.pk])
    assert draft.entry["options"][0]["correct_when"] == "dias > 4"
    assert not Question.objects.filter(key="pergunta-nova").exists()
    page = client.get(response.url)
    assert "Registrar o religue em confiança" in page.content.decode()


def test_a_key_already_taken_is_refused(small_pack, client, trainer):
    client.force_login(trainer)
    url = reverse("quizzes:question_new", args=["regras"]) + "?kind=single"
    response = client.post(url, form_data({**NEW, "key": "pergunta"}))
    assert response.status_code == 200
    assert not QuestionDraft.objects.exists()


def test_only_a_trainer_with_the_permission_publishes(small_pack, client, trainer, publisher):
    draft = authoring.question_draft_save(
        module=Module.objects.get(slug="promessa"), entry=NEW, author=trainer
    )
    client.force_login(trainer)
    assert client.post(reverse("quizzes:draft_publish", args=[draft.pk])).status_code == 403
    assert not Question.objects.filter(key="pergunta-nova").exists()

    client.force_login(publisher)
    before = Module.objects.get(slug="promessa").version
    client.post(reverse("quizzes:draft_publish", args=[draft.pk]))

    question = Question.objects.get(key="pergunta-nova")
    module = Module.objects.get(slug="promessa")
    assert question.version == 1 and question.is_active
    assert {b.code for b in question.behaviors.all()} == {"TESTE.SEM_APTIDAO", "TESTE.RECUSA"}
    assert module.version == before + 1 and module.edited_at is not None
    publication = Publication.objects.get(source=Publication.Source.EDITOR)
    assert publication.by == publisher and publication.items == ["pergunta-nova"]
    assert publication.behaviors["added"] == ["TESTE.RECUSA", "TESTE.SEM_APTIDAO"]
    assert question.history.get().history_user == publisher
    assert not QuestionDraft.objects.exists()


def test_a_second_publish_of_the_same_draft_changes_nothing(small_pack, client, publisher):
    draft = authoring.question_draft_save(
        module=Module.objects.get(slug="promessa"), entry=NEW, author=publisher
    )
    client.force_login(publisher)
    url = reverse("quizzes:draft_publish", args=[draft.pk])
    client.post(url)
    version = Module.objects.get(slug="promessa").version
    response = client.post(url, follow=True)
    assert "já foi publicado" in response.content.decode()
    assert Module.objects.get(slug="promessa").version == version
    assert Publication.objects.filter(source=Publication.Source.EDITOR).count() == 1


@pytest.mark.parametrize("case", list(BAD))
def test_a_draft_the_loader_would_refuse_is_not_published(case, small_pack, publisher):
    draft = authoring.question_draft_save(
        module=Module.objects.get(slug="promessa"), entry={**BAD[case], "key": "x"}, author=None
    )
    with pytest.raises(authoring.Unpublishable) as refused:
        authoring.question_draft_publish(draft.pk, by=publisher)
    assert refused.value.problems
    assert not Question.objects.filter(key="x").exists()
    assert Module.objects.get(slug="promessa").edited_at is None


@pytest.mark.parametrize("case", list(BAD))
def test_the_editor_and_the_loader_refuse_with_the_same_messages(
    case, small_pack, tmp_path, settings
):
    from_pack = pack_messages(tmp_path / "bad", BAD[case], settings)
    from_editor = entry_problems(BAD[case], Module.objects.get(slug="promessa"))
    assert [m.split(": ", 1)[1] if ": " in m else m for m in from_editor] == from_pack


def test_a_revision_is_a_new_version_and_old_papers_keep_theirs(small_pack, publisher):
    question = Question.objects.get(key="pergunta")
    draft = authoring.question_draft_open(question, author=publisher)
    entry = {**draft.entry, "stem": "{cliente} pede o religue ({dias} dias em aberto)."}
    authoring.question_draft_save(module=draft.module, entry=entry, author=publisher, draft=draft)

    publication = authoring.question_draft_publish(draft.pk, by=publisher)

    question.refresh_from_db()
    assert question.version == 2
    assert question.stem.startswith("{cliente} pede o religue (")
    assert publication.behaviors == {
        "added": [],
        "removed": [],
        "revised": ["TESTE.RECUSA", "TESTE.SEM_APTIDAO"],
    }
    assert [h.version for h in question.history.all()] == [2, 1]


def test_a_draft_started_before_another_publish_is_refused(small_pack, publisher):
    question = Question.objects.get(key="pergunta")
    stale = authoring.question_draft_open(question, author=publisher)
    stale.entry = {**stale.entry, "explanation": "Outra."}
    stale.save()
    Question.objects.filter(pk=question.pk).update(version=5)
    with pytest.raises(authoring.Unpublishable, match="mudou desde"):
        authoring.question_draft_publish(stale.pk, by=publisher)


def test_reverting_makes_a_draft_of_the_old_version(small_pack, client, publisher):
    question = Question.objects.get(key="pergunta")
    draft = authoring.question_draft_open(question, author=publisher)
    authoring.question_draft_save(
        module=draft.module,
        entry={**draft.entry, "explanation": "Explicação nova."},
        author=publisher,
        draft=draft,
    )
    authoring.question_draft_publish(draft.pk, by=publisher)
    first = question.history.order_by("history_id").first()

    client.force_login(publisher)
    page = client.get(reverse("quizzes:question_history", args=["pergunta"]))
    assert "Explicação nova." in page.content.decode()
    client.post(
        reverse("quizzes:question_revert", args=["pergunta"]), {"history_id": first.history_id}
    )
    reverted = QuestionDraft.objects.get(question=question)
    assert reverted.entry["explanation"] == GOOD["explanation"]
    publication = authoring.question_draft_publish(reverted.pk, by=publisher)
    assert publication.source == Publication.Source.REVERT
    question.refresh_from_db()
    assert question.explanation == GOOD["explanation"] and question.version == 3


def test_the_preview_shows_the_fact_case_chosen(small_pack, client, trainer):
    draft = authoring.question_draft_save(
        module=Module.objects.get(slug="promessa"), entry=NEW, author=trainer
    )
    client.force_login(trainer)
    url = reverse("quizzes:draft_detail", args=[draft.pk])
    cases = client.get(url).context["cases"]
    assert {case["dias"] for case in cases} >= {4, 5}
    for number, case in enumerate(cases):
        page = client.get(url, {"case": number})
        served = page.context["preview"].served
        assert served["fact_values"] == case
        right = [o for o in page.context["preview"].review["options"] if o["correct"]]
        expected = "Registrar" if case["dias"] > 4 else "Recusar"
        assert [o["text"].split()[0] for o in right] == [expected]
    assert client.get(url, {"case": "99999999999999999999"}).status_code == 200
    assert client.get(url, {"case": "\x00"}).status_code == 200


def test_the_live_check_names_problems_and_giveaways(small_pack, client, trainer):
    client.force_login(trainer)
    url = reverse("quizzes:editor_check", args=["regras"])
    bad = form_data(NEW, kind_chosen="single")
    bad["options-0-correct_when"] = "saldo > 4"
    page = client.post(url, bad).content.decode()
    assert "unknown fact" in page

    giveaway = {**GIVEAWAY, "key": "pergunta-nova"}
    response = client.post(url, form_data(giveaway, kind_chosen="single"))
    assert not response.context["problems"]
    assert any("sempre" in warning for warning in response.context["warnings"])
    assert response.context["preview"] is not None


def test_a_giveaway_is_warned_about(small_pack):
    from quizzes.editor import entry_warnings

    warnings = entry_warnings(GIVEAWAY)
    assert len(warnings) == 2
    assert "mais longa" in warnings[0] and "sempre" in warnings[1]


def test_managers_and_trainees_see_nothing_of_the_editor(small_pack, client, trainee, manager):
    draft = authoring.question_draft_save(
        module=Module.objects.get(slug="promessa"), entry=NEW, author=None
    )
    for user in (trainee, manager):
        client.force_login(user)
        for name, args, method in [
            ("quizzes:question_new", ["regras"], "get"),
            ("quizzes:draft_detail", [draft.pk], "get"),
            ("quizzes:draft_edit", [draft.pk], "get"),
            ("quizzes:draft_publish", [draft.pk], "post"),
            ("quizzes:draft_discard", [draft.pk], "post"),
            ("quizzes:question_history", ["pergunta"], "get"),
            ("quizzes:question_edit", ["pergunta"], "post"),
            ("quizzes:question_revert", ["pergunta"], "post"),
            ("quizzes:editor_check", ["regras"], "post"),
        ]:
            response = getattr(client, method)(reverse(name, args=args))
            assert response.status_code == 403, (user, name)
    assert QuestionDraft.objects.filter(pk=draft.pk).exists()


# --- one source of truth --------------------------------------------------------------------


def publish_a_revision(publisher, explanation="Revisada no navegador."):
    question = Question.objects.get(key="pergunta")
    draft = authoring.question_draft_open(question, author=publisher)
    authoring.question_draft_save(
        module=draft.module,
        entry={**draft.entry, "explanation": explanation},
        author=publisher,
        draft=draft,
    )
    return authoring.question_draft_publish(draft.pk, by=publisher)


def test_a_load_refuses_to_overwrite_what_was_published_in_the_browser(small_pack, publisher):
    publish_a_revision(publisher)
    version = Module.objects.get(slug="promessa").version

    with pytest.raises(EditedInBrowser) as refused:
        load_pack(small_pack)
    assert refused.value.report.overwrites == ["promessa"]
    assert "questions updated: pergunta" in refused.value.report.changes()
    assert Question.objects.get(key="pergunta").explanation == "Revisada no navegador."

    with pytest.raises(CommandError, match="--force"):
        call_command("load_curriculum", str(small_pack))
    assert Module.objects.get(slug="promessa").version == version

    load_pack(small_pack, force=True)
    module = Module.objects.get(slug="promessa")
    assert Question.objects.get(key="pergunta").explanation == GOOD["explanation"]
    assert module.version == version + 1 and module.edited_at is None
    assert Publication.objects.filter(source=Publication.Source.PACK, module=module).exists()


def test_export_after_browser_edits_is_the_truth_and_round_trips_byte_for_byte(
    small_pack, publisher, tmp_path
):
    publish_a_revision(publisher)
    authoring.question_draft_publish(
        authoring.question_draft_save(
            module=Module.objects.get(slug="promessa"), entry=NEW, author=publisher
        ).pk,
        by=publisher,
    )
    first = tmp_path / "first"
    export_pack(first)
    module = Module.objects.get(slug="promessa")
    assert module.edited_at is None
    version = module.version

    report = load_pack(first)  # no refusal: the export is the truth
    assert report.modules_changed == []
    assert Module.objects.get(slug="promessa").version == version

    second = tmp_path / "second"
    export_pack(second)
    files = sorted(p.relative_to(first) for p in first.rglob("*.yaml"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.yaml"))
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    exported = yaml.safe_load((first / "quizzes" / "promessa.yaml").read_text())
    assert [q["key"] for q in exported["questions"]] == ["pergunta", "pergunta-nova"]
