"""The pack loader and the admin refuse the same bad questions with the same messages: one
validation path (schema, facts, placeholders, conditions, behaviours, the kind's rule)."""

from pathlib import Path
from textwrap import dedent

import pytest
import yaml

from quizzes.admin import QuestionAdminForm
from tests.factories import BehaviorFactory, ProcedureFactory
from training.pack.loader import load_pack
from training.pack.source import PackInvalid

pytestmark = pytest.mark.django_db

GOOD = {
    "key": "pergunta",
    "procedure": "regras",
    "kind": "single",
    "stem": "{cliente} pede o religue com a fatura aberta há {dias} dias.",
    "facts": [
        {"name": "cliente", "kind": "name", "label": "Cliente"},
        {"name": "dias", "kind": "int", "label": "Dias", "min": 1, "max": 9},
    ],
    "options": [
        {"text": "Registrar", "correct_when": "dias > 4", "breaks": ["TESTE.SEM_APTIDAO"]},
        {"text": "Recusar", "correct_when": "dias <= 4", "breaks": ["TESTE.RECUSA"]},
    ],
    "explanation": "Mais de 4 dias.",
    "manual": "fatura em aberto há mais de 04 dias corrido",
}


def bad(**changes):
    question = {**GOOD, **changes}
    return question


BAD = {
    "a placeholder naming no fact": bad(stem="Olá {nome}, o que fazer?"),
    "a placeholder that reaches into an object": bad(stem="{cliente.__class__} pede o religue."),
    "a condition outside the safe language": bad(
        options=[
            {"text": "Registrar", "correct_when": "__import__('os')", "breaks": ["TESTE.RECUSA"]},
            {"text": "Recusar", "correct_when": "dias <= 4", "breaks": ["TESTE.RECUSA"]},
        ]
    ),
    "a condition naming no fact": bad(
        options=[
            {"text": "Registrar", "correct_when": "saldo > 4", "breaks": ["TESTE.RECUSA"]},
            {"text": "Recusar", "correct_when": "dias <= 4", "breaks": ["TESTE.RECUSA"]},
        ]
    ),
    "no right option for some facts": bad(
        options=[
            {"text": "Registrar", "correct_when": "dias > 5", "breaks": ["TESTE.RECUSA"]},
            {"text": "Recusar", "correct_when": "dias <= 4", "breaks": ["TESTE.RECUSA"]},
        ]
    ),
    "a violation performed by a right option": bad(
        options=[
            {
                "text": "Registrar",
                "correct_when": "dias > 4",
                "behaviors": ["TESTE.SEM_APTIDAO"],
                "breaks": ["TESTE.RECUSA"],
            },
            {"text": "Recusar", "correct_when": "dias <= 4", "breaks": ["TESTE.RECUSA"]},
        ]
    ),
    "an unknown behaviour": bad(
        options=[
            {"text": "Registrar", "correct_when": "dias > 4", "breaks": ["TESTE.NAO_EXISTE"]},
            {"text": "Recusar", "correct_when": "dias <= 4", "breaks": ["TESTE.RECUSA"]},
        ]
    ),
    "a nested condition too deep": bad(
        options=[
            {
                "text": "Registrar",
                "correct_when": "not " * 40 + "dias > 4",
                "breaks": ["TESTE.RECUSA"],
            },
            {"text": "Recusar", "correct_when": "dias <= 4", "breaks": ["TESTE.RECUSA"]},
        ]
    ),
}

MODULE = """\
module: {slug: promessa, title: Promessa, summary: Regras., order: 1}
procedures:
  - slug: regras
    title: Regras
    guidance: Regras.
    behaviors:
      - {code: TESTE.APTO, label: Verificar, kind: action, manual: "m"}
      - {code: TESTE.SEM_APTIDAO, label: Registrar sem aptidão, kind: violation, manual: "m"}
      - {code: TESTE.RECUSA, label: Recusar um apto, kind: violation, manual: "m"}
      - {code: TESTE.REGISTRAR, label: Registrar o religue, kind: action, manual: "m"}
      - {code: TESTE.EXPLICAR, label: Explicar a falta de aptidão, kind: disclosure, manual: "m"}
"""


def pack_messages(tmp_path: Path, question: dict, settings) -> list[str]:
    settings.CONTENT_SECTIONS = [
        "training.pack.curriculum.CurriculumSection",
        "quizzes.pack.QuizSection",
    ]
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    (root / "quizzes").mkdir()
    (root / "modules" / "01-promessa.yaml").write_text(dedent(MODULE), encoding="utf-8")
    quiz = {
        "module": "promessa",
        "quiz": {"slug": "quiz", "title": "Quiz", "slots": [{"question": "pergunta"}]},
        "questions": [question],
    }
    (root / "quizzes" / "promessa.yaml").write_text(yaml.safe_dump(quiz), encoding="utf-8")
    with pytest.raises(PackInvalid) as refused:
        load_pack(root)
    return [e.message for e in refused.value.errors]


def admin_messages(question: dict) -> list[str]:
    procedure = ProcedureFactory(slug="regras", module__slug="promessa")
    for code, kind in [
        ("TESTE.APTO", "action"),
        ("TESTE.SEM_APTIDAO", "violation"),
        ("TESTE.RECUSA", "violation"),
    ]:
        BehaviorFactory(procedure=procedure, code=code, kind=kind)
    spec = {k: v for k, v in question.items() if k not in GOOD or k in ("facts", "options")}
    form = QuestionAdminForm(
        data={
            "procedure": procedure.pk,
            "key": question["key"],
            "kind": question["kind"],
            "stem": question["stem"],
            "spec": __import__("json").dumps(spec),
            "explanation": question["explanation"],
            "manual_quote": question["manual"],
            "order": 0,
            "is_active": "on",
        }
    )
    assert not form.is_valid()
    return [str(m) for m in form.non_field_errors()]


@pytest.mark.parametrize("case", list(BAD))
def test_the_pack_and_the_admin_refuse_alike(case, tmp_path, settings):
    from_pack = pack_messages(tmp_path, BAD[case], settings)
    from_admin = admin_messages(BAD[case])

    assert from_pack, case
    for message in from_pack:
        assert any(message in shown for shown in from_admin), (case, message, from_admin)
