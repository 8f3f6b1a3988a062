"""The quizzes section of the content pack: schema and reference errors with file:line, nothing
written on any error, idempotent loads, versions, retirement, and the export round trip."""

from io import StringIO
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from quizzes.models import Question, Quiz, QuizSlot
from training.pack.loader import export_pack, load_pack

pytestmark = pytest.mark.django_db

MODULE = """\
module:
  slug: promessa-pagamento
  title: Promessa de pagamento
  summary: Quem pode receber a promessa.
  order: 1
procedures:
  - slug: promessa-regras
    title: Regras da promessa
    guidance: |
      Clientes com o status (parcial e total) e desconectado, fatura em aberto há mais de 04 dias.
    behaviors:
      - code: PROMESSA.VERIFICAR_APTIDAO
        label: Verificar se o cliente está apto
        kind: action
        manual: "Verifique se o cliente está apto ao procedimento."
      - code: PROMESSA.INFORMAR_SEM_CUSTO
        label: Informar que a promessa não tem custo
        kind: disclosure
        manual: "A promessa de pagamento não tem custos extras para o cliente."
      - code: PROMESSA.REGISTRAR_SEM_APTIDAO
        label: Registrar a promessa para quem não está apto
        kind: violation
        manual: "Verifique se o cliente está apto ao procedimento."
      - code: PROMESSA.NEGAR_A_CLIENTE_APTO
        label: Negar a promessa a um cliente apto
        kind: violation
        manual: "fatura em aberto há mais de 04 dias corrido, podem solicitar a promessa"
      - code: PROMESSA.INDICAR_CANAL_ERRADO
        label: Indicar um canal que não faz a promessa
        kind: violation
        manual: "* URA (ligação)"
"""

QUIZ = """\
module: promessa-pagamento
quiz:
  slug: quiz-promessa
  title: Quiz da promessa de pagamento
  time_limit_minutes: 15
  max_attempts: 3
  wait_minutes: 10
  review: after_close
  slots:
    - question: promessa-apta
    - procedure: promessa-regras
      draw: 2
questions:
  - key: promessa-apta
    procedure: promessa-regras
    kind: single
    stem: "{customer_name} pede o religue: contrato {status}, fatura em aberto há {days} dias."
    facts:
      - {name: customer_name, kind: name, label: Cliente}
      - {name: status, kind: choice, label: Status, choices: [parcial, total, desconectado, ativo]}
      - {name: days, kind: int, label: Dias em aberto, min: 1, max: 10}
    options:
      - text: Registrar a promessa
        correct_when: "status in ['parcial', 'total', 'desconectado'] and days > 4"
        behaviors: [PROMESSA.VERIFICAR_APTIDAO]
        breaks: [PROMESSA.REGISTRAR_SEM_APTIDAO]
      - text: Informar que o cliente não está apto
        correct_when: "not (status in ['parcial', 'total', 'desconectado'] and days > 4)"
        breaks: [PROMESSA.NEGAR_A_CLIENTE_APTO]
    explanation: Só pode quem está parcial, total ou desconectado com mais de 4 dias.
    manual: "fatura em aberto há mais de 04 dias corrido, podem solicitar a promessa"
  - key: promessa-custo
    procedure: promessa-regras
    kind: true_false
    stem: A promessa de pagamento tem custo extra para o cliente.
    answer: false
    behaviors: [PROMESSA.INFORMAR_SEM_CUSTO]
    explanation: Não tem custo.
    manual: "A promessa de pagamento não tem custos extras para o cliente."
  - key: promessa-prazo
    procedure: promessa-regras
    kind: numeric
    stem: Em até quantas horas o contrato volta a ficar ativo?
    answer: 2
    unit: horas
    explanation: Em até 02 horas.
    manual: "o contrato é reabilitado e volta a ficar ativo em até 02 horas."
  - key: promessa-passos
    procedure: promessa-regras
    kind: ordering
    stem: Ponha em ordem.
    steps: [Cliente pede o religue, Contrato reabilitado, Fatura baixada]
    explanation: Nesta ordem.
    manual: "1°Cliente entra em contato e solicita o religue"
  - key: promessa-canais
    procedure: promessa-regras
    kind: matching
    stem: Associe.
    pairs:
      - {left: Cartão de crédito, right: até 3 dias corridos}
      - {left: Agência de cobrança, right: até 4 dias úteis}
    distractors: [até 24 horas]
    explanation: Prazos de baixa.
    manual: "Cartão Crédito: até 3 dias corridos"
  - key: promessa-onde
    procedure: promessa-regras
    kind: multiple
    stem: Onde o cliente pode fazer a promessa?
    options:
      - {text: URA (ligação), correct: true}
      - {text: Minha Claro residencial, correct: true}
      - {text: Loja física, breaks: [PROMESSA.INDICAR_CANAL_ERRADO]}
    explanation: URA e Minha Claro.
    manual: "* URA (ligação)"
  - key: promessa-segmento
    procedure: promessa-regras
    kind: true_false
    stem: A promessa de pagamento pode ser feita para clientes de qualquer segmento.
    answer: true
    explanation: Qualquer segmento.
    manual: "Podemos realizar esse procedimento para qualquer segmento."
"""

QUIZ_FILE = "promessa-pagamento.yaml"


@pytest.fixture(autouse=True)
def curriculum_and_quizzes(settings):
    settings.CONTENT_SECTIONS = [
        "training.pack.curriculum.CurriculumSection",
        "quizzes.pack.QuizSection",
    ]


def make_pack(root: Path, quiz_text: str | None = QUIZ, name: str = QUIZ_FILE) -> Path:
    content = root / "content"
    (content / "modules").mkdir(parents=True, exist_ok=True)
    (content / "quizzes").mkdir(parents=True, exist_ok=True)
    (content / "modules" / "01-promessa-pagamento.yaml").write_text(MODULE, encoding="utf-8")
    for old in (content / "quizzes").glob("*.yaml"):
        old.unlink()
    if quiz_text is not None:
        (content / "quizzes" / name).write_text(dedent(quiz_text), encoding="utf-8")
    return content


def snapshot():
    return (
        list(Question.objects.order_by("pk").values()),
        list(Quiz.objects.order_by("pk").values()),
        list(QuizSlot.objects.order_by("pk").values()),
    )


@pytest.fixture
def loaded(tmp_path):
    load_pack(make_pack(tmp_path / "first"))
    return snapshot()


def rejected(tmp_path, quiz_text: str, name: str = QUIZ_FILE) -> list[str]:
    """Load a pack with this quiz file; assert nothing changed and return the error lines."""
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "load_curriculum",
            str(make_pack(tmp_path / "bad", quiz_text, name)),
            stdout=StringIO(),
            stderr=err,
        )
    assert "nothing was written" in str(exc.value)
    assert snapshot() == before
    return err.getvalue().splitlines()


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


# --- bad files ----------------------------------------------------------------------------


def test_an_unknown_behaviour_code_is_reported_with_its_line(tmp_path, loaded):
    bad = QUIZ.replace("[PROMESSA.INFORMAR_SEM_CUSTO]", "[PROMESSA.INFORMAR_CUSTO]")
    line = line_of(bad, "[PROMESSA.INFORMAR_CUSTO]")
    assert rejected(tmp_path, bad) == [
        f"content/quizzes/{QUIZ_FILE}:{line}: questions[1].behaviors[0]: "
        "unknown behaviour 'PROMESSA.INFORMAR_CUSTO'"
    ]


def test_an_unknown_procedure_is_reported(tmp_path, loaded):
    bad = QUIZ.replace(
        "procedure: promessa-regras\n    kind: numeric", "procedure: promessa\n    kind: numeric"
    )
    line = bad.splitlines().index("    procedure: promessa") + 1
    errors = rejected(tmp_path, bad)
    assert (
        f"content/quizzes/{QUIZ_FILE}:{line}: questions[2].procedure: unknown procedure 'promessa'"
    ) in errors
    # The question left its procedure's pool, which no longer holds 3× what the quiz draws.
    assert len(errors) == 2 and "whose pool has 5 questions" in errors[0]


def test_a_condition_naming_an_unknown_fact_is_reported(tmp_path, loaded):
    bad = QUIZ.replace('and days > 4"\n        behaviors', 'and dias > 4"\n        behaviors')
    line = line_of(bad, "and dias > 4")
    assert rejected(tmp_path, bad) == [
        f"content/quizzes/{QUIZ_FILE}:{line}: questions[0].options[0].correct_when: "
        "unknown fact 'dias'"
    ]


def test_a_condition_that_is_not_in_the_safe_language_is_reported(tmp_path, loaded):
    bad = QUIZ.replace(
        "\"status in ['parcial', 'total', 'desconectado'] and days > 4\"",
        "\"__import__('os').system('x')\"",
    )
    errors = rejected(tmp_path, bad)
    line = line_of(bad, "__import__")
    assert errors == [
        f"content/quizzes/{QUIZ_FILE}:{line}: questions[0].options[0].correct_when: "
        "Call is not allowed in a condition"
    ]


def test_a_single_choice_with_no_right_option_for_some_facts_is_reported(tmp_path, loaded):
    bad = QUIZ.replace('and days > 4"\n        behaviors', 'and days > 5"\n        behaviors')
    [error] = rejected(tmp_path, bad)
    assert error.startswith(f"content/quizzes/{QUIZ_FILE}:{line_of(bad, '    options:')}: ")
    assert "questions[0].options: a single choice needs exactly one right option, has 0" in error
    assert "'days': 5" in error


def test_a_placeholder_without_a_fact_is_reported(tmp_path, loaded):
    bad = QUIZ.replace("há {days} dias", "há {dias} dias")
    line = line_of(bad, "há {dias} dias")
    assert rejected(tmp_path, bad) == [
        f"content/quizzes/{QUIZ_FILE}:{line}: questions[0].stem: unknown fact {{dias}}"
    ]


def test_schema_errors_name_the_key_and_line(tmp_path, loaded):
    bad = QUIZ.replace("    unit: horas\n", "    unit: horas\n    tolerence: 1\n").replace(
        "kind: ordering", "kind: sequence"
    )
    where = f"content/quizzes/{QUIZ_FILE}"
    assert rejected(tmp_path, bad) == [
        f"{where}:{line_of(bad, 'tolerence')}: questions[2].tolerence: unknown key",
        f"{where}:{line_of(bad, 'kind: sequence')}: questions[3].kind: 'sequence' is not one of "
        "single, multiple, true_false, ordering, matching, numeric",
    ]


def test_two_identical_right_hand_items_are_reported(tmp_path, loaded):
    bad = QUIZ.replace("distractors: [até 24 horas]", "distractors: [até 4 dias úteis]")
    [error] = rejected(tmp_path, bad)
    assert error == (
        f"content/quizzes/{QUIZ_FILE}:{line_of(bad, 'key: promessa-canais')}: questions[4]: "
        "right item 'até 4 dias úteis' appears twice"
    )


def test_drawing_more_than_the_pool_holds_is_reported(tmp_path, loaded):
    bad = QUIZ.replace("draw: 2", "draw: 3")
    assert rejected(tmp_path, bad) == [
        f"content/quizzes/{QUIZ_FILE}:{line_of(bad, 'draw: 3')}: quiz.slots[1].draw: draws 3 "
        "from 'promessa-regras', whose pool has 6 questions that are not fixed: a pool holds "
        "at least 3× what it draws, so a second and third attempt see new questions"
    ]


def test_a_wrong_option_must_say_what_picking_it_breaks(tmp_path, loaded):
    bad = QUIZ.replace(
        "      - {text: Loja física, breaks: [PROMESSA.INDICAR_CANAL_ERRADO]}",
        "      - {text: Loja física}",
    )
    [error] = rejected(tmp_path, bad)
    assert error.startswith(f"content/quizzes/{QUIZ_FILE}:{line_of(bad, 'Loja física')}: ")
    assert "questions[5].options[2]: say what picking this option breaks" in error


def test_a_right_option_cannot_perform_a_violation(tmp_path, loaded):
    bad = QUIZ.replace(
        "behaviors: [PROMESSA.VERIFICAR_APTIDAO]\n        breaks",
        "behaviors: [PROMESSA.REGISTRAR_SEM_APTIDAO]\n        breaks",
    )
    assert rejected(tmp_path, bad) == [
        f"content/quizzes/{QUIZ_FILE}:{line_of(bad, 'behaviors: [PROMESSA.REGISTRAR_SEM')}: "
        "questions[0].options[0].behaviors[0]: PROMESSA.REGISTRAR_SEM_APTIDAO is a violation: "
        "a right answer does not perform it (tag the wrong options with it, in breaks)"
    ]


def test_a_file_must_be_named_after_its_module(tmp_path, loaded):
    errors = rejected(tmp_path, QUIZ, name="promessa.yaml")
    assert errors == [
        "content/quizzes/promessa.yaml:1: module: the file must be named promessa-pagamento.yaml"
    ]


def test_malformed_yaml_is_reported_with_its_line(tmp_path, loaded):
    bad = QUIZ.replace("  title: Quiz da promessa de pagamento", "  title: [Quiz")
    [error] = rejected(tmp_path, bad)
    assert error.startswith(f"content/quizzes/{QUIZ_FILE}:")
    assert "malformed YAML" in error


# --- good loads ----------------------------------------------------------------------------


def test_a_valid_pack_loads_its_quiz_and_questions(tmp_path):
    report = load_pack(make_pack(tmp_path))
    assert report.counts["questions"]["created"] == 7
    assert report.counts["quizzes"]["created"] == 1
    quiz = Quiz.objects.get()
    assert (quiz.time_limit_minutes, quiz.max_attempts, quiz.wait_minutes) == (15, 3, 10)
    assert quiz.review == Quiz.Review.AFTER_CLOSE
    assert [(s.question_id is not None, s.draw_count) for s in quiz.slots.all()] == [
        (True, 1),
        (False, 2),
    ]
    question = Question.objects.get(key="promessa-apta")
    assert question.is_scenario
    assert sorted(b.code for b in question.behaviors.all()) == [
        "PROMESSA.NEGAR_A_CLIENTE_APTO",
        "PROMESSA.REGISTRAR_SEM_APTIDAO",
        "PROMESSA.VERIFICAR_APTIDAO",
    ]


def test_a_second_load_changes_nothing(tmp_path):
    root = make_pack(tmp_path)
    load_pack(root)
    before = snapshot()
    report = load_pack(root)
    assert report.counts["questions"]["unchanged"] == 7
    assert report.counts["quizzes"]["unchanged"] == 1
    assert snapshot() == before


def test_an_edit_bumps_the_question_and_quiz_versions_and_a_removed_question_is_retired(
    tmp_path,
):
    load_pack(make_pack(tmp_path))
    edited = QUIZ.replace("Não tem custo.", "Não tem custo nenhum.")
    # One question fewer in the pool: the quiz draws one from it now.
    removed = edited.split("  - key: promessa-segmento")[0].replace("      draw: 2\n", "")
    report = load_pack(make_pack(tmp_path, removed))
    assert report.counts["questions"]["updated"] == 1
    assert report.counts["questions"]["deleted"] == 1
    assert Question.objects.get(key="promessa-custo").version == 2
    assert not Question.objects.get(key="promessa-segmento").is_active
    assert Quiz.objects.get().version == 2


def test_a_renamed_quiz_replaces_the_old_one_which_is_unpublished(tmp_path):
    load_pack(make_pack(tmp_path))
    report = load_pack(make_pack(tmp_path, QUIZ.replace("slug: quiz-promessa", "slug: promessa")))
    assert report.counts["quizzes"]["created"] == 1
    assert report.counts["quizzes"]["deleted"] == 1
    assert list(Quiz.objects.published().values_list("slug", flat=True)) == ["promessa"]


def test_a_pack_without_quiz_files_leaves_the_quizzes_alone(tmp_path, loaded):
    load_pack(make_pack(tmp_path / "empty", None))
    assert snapshot() == loaded


def test_the_export_round_trips(tmp_path):
    root = make_pack(tmp_path / "in")
    load_pack(root)
    before = snapshot()
    written = export_pack(tmp_path / "out" / "content")
    [quiz_file] = [p for p in written if p.parent.name == "quizzes"]
    assert quiz_file.name == QUIZ_FILE
    exported = yaml.safe_load(quiz_file.read_text(encoding="utf-8"))
    original = yaml.safe_load(QUIZ)
    assert exported == original

    report = load_pack(tmp_path / "out" / "content")
    assert report.total("created") == report.total("updated") == report.total("deleted") == 0
    assert snapshot() == before
