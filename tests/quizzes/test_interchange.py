"""Question banks in and out in Moodle's formats: every type Moodle exports is read (with the
formats' edge cases), what Trilha cannot express is listed with the reason, a round trip keeps
what both sides express and is byte-stable on the second round, and hostile XML is refused."""

from pathlib import Path

import pytest

from quizzes.interchange import (
    FileRefused,
    from_gift,
    from_moodle_xml,
    to_gift,
    to_moodle_xml,
)

HERE = Path(__file__).parent / "moodle"


def test_gift_of_every_type_is_read_with_its_edge_cases():
    entries, skipped = from_gift((HERE / "sample.gift").read_text(encoding="utf-8"))
    by_key = {e["key"]: e for e in entries}
    prazo = by_key["prazo-da-promessa"]
    assert prazo["kind"] == "single" and prazo["explanation"].startswith("O manual manda")
    assert [o.get("correct", False) for o in prazo["options"]] == [True, False, False]
    assert by_key["escapes"]["stem"] == "Quanto é 1:2 {em} ~ = #?"
    assert [o["text"] for o in by_key["escapes"]["options"]] == ["Um:dois", "Três=quatro"]
    pesos = by_key["pesos"]
    assert pesos["kind"] == "multiple"
    assert [o.get("correct", False) for o in pesos["options"]] == [True, True, False]
    assert sum(o.get("correct", False) for o in by_key["pesos-desiguais"]["options"]) == 3
    assert by_key["vf"]["answer"] is True and by_key["vf-falso"]["answer"] is False
    assert by_key["vf-falso"]["explanation"] == "Não pode."
    assert by_key["associar"]["pairs"][0] == {"left": "Promessa", "right": "Próximo dia útil"}
    assert (by_key["numerico"]["answer"], by_key["numerico"]["tolerance"]) == (5, 0)
    assert (
        by_key["numerico-com-margem"]["answer"],
        by_key["numerico-com-margem"]["tolerance"],
    ) == (3.5, 0.1)
    assert any("short answer" in s for s in skipped)
    assert any("description" in s for s in skipped)


def test_moodle_xml_of_every_type_is_read_sanitised():
    entries, skipped = from_moodle_xml((HERE / "sample.xml").read_bytes())
    by_key = {e["key"]: e for e in entries}
    prazo = by_key["prazo-promessa"]
    assert prazo["stem"] == "Qual o prazo de pagamento? alert(1)" or "<" not in prazo["stem"]
    assert "<script>" not in prazo["stem"] and prazo["explanation"] == "Próximo dia útil."
    assert by_key["pesos"]["kind"] == "multiple"
    assert by_key["vf"]["answer"] is False
    assert by_key["associar"]["distractors"] == ["Fim do mês"]
    assert by_key["taxa"]["tolerance"] == 0.1
    assert len(skipped) == 2 and any("shortanswer" in s for s in skipped)


@pytest.mark.parametrize("write,read", [(to_gift, from_gift), (to_moodle_xml, from_moodle_xml)])
def test_a_round_trip_keeps_what_both_sides_express_and_is_byte_stable(write, read):
    entries, _ = from_gift((HERE / "sample.gift").read_text(encoding="utf-8"))
    first, skipped = write(entries)
    assert skipped == []
    back, lost = read(first.encode() if read is from_moodle_xml else first)
    assert lost == []
    assert [(e["key"], e["kind"]) for e in back] == [(e["key"], e["kind"]) for e in entries]
    second, _ = write(back)
    assert second == first


def test_what_trilha_alone_expresses_is_listed_on_export():
    scenario = {
        "key": "s",
        "kind": "single",
        "stem": "x {dias}",
        "facts": [{"name": "dias"}],
        "options": [],
        "explanation": "",
    }
    ordering = {
        "key": "o",
        "kind": "ordering",
        "stem": "x",
        "steps": ["a", "b", "c"],
        "explanation": "",
    }
    _text, skipped = to_gift([scenario, ordering])
    assert [s.split(":")[0] for s in skipped] == ["s", "o"]


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE q [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>',
        b'<!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
        b"<quiz><question type='multichoice'><name>",
        b"<notaquiz/>",
    ],
)
def test_hostile_or_broken_xml_is_refused_with_a_message(data):
    with pytest.raises(FileRefused):
        from_moodle_xml(data)


def test_a_nul_byte_in_gift_is_refused():
    with pytest.raises(FileRefused):
        from_gift("::a:: b {T}\x00")


@pytest.mark.django_db
def test_a_trainer_imports_a_bank_as_drafts_after_a_preview(small_pack, client, trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from quizzes.models import QuestionDraft

    client.force_login(trainer)
    url = reverse("quizzes:bank_import", args=["regras"])
    data = (HERE / "sample.xml").read_bytes()
    preview = client.post(url, {"bank": SimpleUploadedFile("banco.xml", data)})
    assert len(preview.context["entries"]) == 5 and len(preview.context["skipped"]) == 2
    assert not QuestionDraft.objects.exists()
    client.post(url, {"bank": SimpleUploadedFile("banco.xml", data), "confirm": "on"})
    drafts = QuestionDraft.objects.order_by("key")
    assert drafts.count() == 5
    assert all(d.entry["procedure"] == "regras" and d.question is None for d in drafts)
    # A draft from Moodle lacks the manual's words: it cannot be published as it is.
    from quizzes.editor import entry_problems

    assert any("manual" in p for p in entry_problems(drafts[0].entry, drafts[0].module))
    broken = client.post(url, {"bank": SimpleUploadedFile("banco.xml", b"<quiz><question")})
    assert broken.status_code == 200 and broken.context["form"].errors


@pytest.mark.django_db
def test_a_procedures_bank_exports_to_moodle_and_names_what_cannot(small_pack, client, trainer):
    from django.urls import reverse

    client.force_login(trainer)
    url = reverse("quizzes:bank_export", args=["regras"])
    gift = client.get(url)
    assert gift["Content-Disposition"].endswith('.gift"')
    assert "// skipped pergunta: a scenario question" in gift.content.decode()
    xml = client.get(url, {"format": "xml"})
    assert xml.content.startswith(b"<?xml") and xml["X-Skipped-Questions"] == "1"


@pytest.mark.django_db
def test_the_command_previews_imports_and_exports(small_pack):
    import io

    from django.core.management import call_command

    from quizzes.models import QuestionDraft

    out = io.StringIO()
    gift = str(HERE / "sample.gift")
    call_command(
        "moodle_bank", "import", gift, procedure="regras", stdout=out, stderr=io.StringIO()
    )
    assert "9 questions come over, 2 cannot" in out.getvalue()
    assert not QuestionDraft.objects.exists()
    call_command(
        "moodle_bank",
        "import",
        gift,
        procedure="regras",
        apply=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    assert QuestionDraft.objects.count() == 9
    exported = io.StringIO()
    call_command(
        "moodle_bank",
        "export",
        procedure="regras",
        format="xml",
        stdout=exported,
        stderr=io.StringIO(),
    )
    assert exported.getvalue().startswith("<?xml")


BANK_WITH_CATEGORIES = """\
$CATEGORY: $course$/top/Promessa

::prazo:: Em quanto tempo o contrato volta? {=Em até 2 horas ~Em 24 horas ~Em 48 horas}

::caso:: A promessa vale para quem já pagou? {F}

$CATEGORY: $course$/top/Cancelamento/Saldo
::saldo:: O saldo em aberto some no cancelamento? {F}
"""


def test_each_question_keeps_its_category_in_both_formats():
    categories: list[str] = []
    entries, _ = from_gift(BANK_WITH_CATEGORIES, categories)
    assert [e["key"] for e in entries] == ["prazo", "caso", "saldo"]
    assert categories == ["Promessa", "Promessa", "Cancelamento/Saldo"]
    xml, _ = to_moodle_xml(entries)
    back: list[str] = []
    assert len(from_moodle_xml(xml.encode(), back)[0]) == 3 and len(back) == 3


@pytest.mark.django_db
def test_each_category_goes_to_the_procedure_chosen_on_the_preview(small_pack, client, trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from quizzes.models import QuestionDraft
    from tests.factories import ProcedureFactory
    from training.models import Procedure

    regras = Procedure.objects.get(slug="regras")
    ProcedureFactory(module=regras.module, slug="cancelar", title="Cancelamento")
    client.force_login(trainer)
    url = reverse("quizzes:bank_import", args=["regras"])

    def send(**extra):
        upload = SimpleUploadedFile("banco.gift", BANK_WITH_CATEGORIES.encode())
        return client.post(url, {"bank": upload, **extra})

    preview = send()
    choices = preview.context["categories"]
    assert [(c.name, c.count, c.chosen) for c in choices] == [
        ("Promessa", 2, "regras"),
        ("Cancelamento/Saldo", 1, "regras"),
    ]
    promessa, cancelamento = (c.field for c in choices)
    # A procedure that does not exist (a tampered form) writes nothing.
    refused = send(confirm="on", **{promessa: "regras", cancelamento: "nao-existe"})
    assert refused.context["form"].non_field_errors() and not QuestionDraft.objects.exists()

    send(confirm="on", **{promessa: "regras", cancelamento: "cancelar"})
    placed = dict(QuestionDraft.objects.values_list("key", "entry__procedure"))
    assert placed == {"prazo": "regras", "caso": "regras", "saldo": "cancelar"}

    QuestionDraft.objects.all().delete()
    send(confirm="on", **{promessa: "", cancelamento: "cancelar"})  # one category left out
    assert list(QuestionDraft.objects.values_list("key", flat=True)) == ["saldo"]


GIFT_EDGES = """\
::tf:: O saldo some no cancelamento?{
FALSE#Não: o saldo continua.#Isso.
####O manual manda informar o saldo.}

::tolerancia:: Em quantas horas o contrato volta? {#2:1~#Longe demais}

::faixa:: Um número de 1 a 5? {#1..5}

::varias:: Quantas horas? {#=2:0 =%50%2:1}

::formatos::[html]Qual é o prazo?<br/>Escolha.{
    =[html]<b>Próximo</b> dia útil
    ~[plain]Fim do mês
    ~[markdown]Quando puder
}

::pares:: Ligue.{=[html]Promessa -> 2 horas =[plain]Baixa -> 3 dias}
"""


def test_gift_edge_cases_from_the_format_documentation():
    entries, skipped = from_gift(GIFT_EDGES)
    assert skipped == []
    by_key = {e["key"]: e for e in entries}
    tf = by_key["tf"]
    assert tf["kind"] == "true_false" and tf["answer"] is False
    assert tf["explanation"] == "O manual manda informar o saldo."
    assert (by_key["tolerancia"]["answer"], by_key["tolerancia"]["tolerance"]) == (2, 1)
    assert (by_key["faixa"]["answer"], by_key["faixa"]["tolerance"]) == (3, 2)
    assert (by_key["varias"]["answer"], by_key["varias"]["tolerance"]) == (2, 0)
    formatos = by_key["formatos"]
    assert formatos["stem"] == "Qual é o prazo? Escolha."
    assert [o["text"] for o in formatos["options"]] == [
        "Próximo dia útil",
        "Fim do mês",
        "Quando puder",
    ]
    assert [p["left"] for p in by_key["pares"]["pairs"]] == ["Promessa", "Baixa"]


def test_an_essay_is_named_as_such():
    assert from_gift("::e:: Como você está? {}") == (
        [],
        ["line 1: an essay (an empty answer block): Trilha has no free-text kind"],
    )
