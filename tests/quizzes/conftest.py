"""A quiz of a few questions of every kind, tied to behaviours, for the attempt tests."""

import pytest

from tests.factories import (
    BehaviorFactory,
    ModuleFactory,
    ProcedureFactory,
    QuestionFactory,
    QuizFactory,
    QuizSlotFactory,
)
from training.models import Behavior

SPECS = [
    (
        "single",
        {
            "options": [
                {"text": "Até 2 dias úteis", "correct": True, "behaviors": ["TESTE.PRAZO"]},
                {"text": "Até 3 dias corridos"},
                {"text": "Até 4 dias úteis"},
            ]
        },
    ),
    (
        "multiple",
        {
            "options": [
                {"text": "Saldo em aberto", "correct": True, "behaviors": ["TESTE.SALDO"]},
                {"text": "Formas de pagamento", "correct": True},
                {"text": "Oferta de mudança de pacote"},
            ]
        },
    ),
    ("true_false", {"answer": True, "behaviors": ["TESTE.PRAZO"]}),
    ("ordering", {"steps": ["Primeiro", "Segundo", "Terceiro"]}),
    (
        "matching",
        {
            "pairs": [
                {"left": "Cartão de crédito", "right": "até 3 dias corridos"},
                {"left": "Agência de cobrança", "right": "até 4 dias úteis"},
            ]
        },
    ),
    ("numeric", {"answer": 24, "unit": "horas corridas"}),
    (
        "single",
        {
            "facts": [
                {"name": "customer_name", "kind": "name", "label": "Cliente"},
                {"name": "days", "kind": "int", "label": "Dias em aberto", "min": 1, "max": 9},
            ],
            "options": [
                {"text": "Pode fazer a promessa", "correct_when": "days > 4"},
                {"text": "Não pode fazer a promessa", "correct_when": "days <= 4"},
            ],
        },
    ),
]


def build_quiz(count: int = len(SPECS), **quiz_fields):
    """A published quiz with ``count`` fixed questions cycling through every kind."""
    module = ModuleFactory()
    procedure = ProcedureFactory(module=module)
    for code in ("TESTE.PRAZO", "TESTE.SALDO"):
        if not Behavior.objects.filter(code=code).exists():  # several quizzes share them
            BehaviorFactory(procedure=procedure, code=code)
    quiz = QuizFactory(module=module, **quiz_fields)
    for n in range(count):
        kind, spec = SPECS[n % len(SPECS)]
        stem = "{customer_name}: quantos dias?" if spec.get("facts") else f"Pergunta {n}"
        question = QuestionFactory(procedure=procedure, kind=kind, spec=spec, stem=stem)
        QuizSlotFactory(quiz=quiz, question=question, order=n)
    return quiz


@pytest.fixture
def quiz(db):
    return build_quiz()
