"""A small payment-promise call used across the scenario tests, and the curriculum it needs.

Its facts vary whether a promise may be registered (the invoice open more than 4 days, no
broken promise), it has a trap (a second promise), an order rule and conditional items, and a
self-loop so tests can play long transcripts.
"""

import copy

from tests.factories import (
    BehaviorFactory,
    ProcedureFactory,
    ScenarioFactory,
    ScenarioVersionFactory,
)
from training.models import Behavior

CODES = {
    "TESTE.NOME": ("Chamar o cliente pelo nome", Behavior.Kind.RAPPORT, False),
    "TESTE.VERIFICAR": ("Verificar a aptidão", Behavior.Kind.ACTION, False),
    "TESTE.REGISTRAR": ("Registrar a promessa", Behavior.Kind.ACTION, False),
    "TESTE.SEGUNDA": ("Fazer nova promessa após descumprimento", Behavior.Kind.ACTION, True),
    "TESTE.INFORMAR": ("Informar o religue em até 2 horas", Behavior.Kind.DISCLOSURE, False),
}

ELIGIBLE = "days_open > 4 and not broken"

CALL = {
    "persona": {
        "names": ["Marcos Ribeiro", "Sandra Oliveira"],
        "mood": "preocupado",
        "segment": "residencial",
    },
    "facts": [
        {"name": "days_open", "kind": "int", "label": "Dias em aberto", "min": 1, "max": 10},
        {"name": "broken", "kind": "bool", "label": "Promessa anterior descumprida"},
    ],
    "screen": {
        "contract_status": "Bloqueio total",
        "open_invoices": "1 fatura em aberto há {days_open} dias",
        "contract_start": "03/2019",
        "products": ["Internet 350 Mega"],
    },
    "steps": [
        {
            "id": "abertura",
            "customer": "Meu sinal foi cortado.",
            "choices": [
                {
                    "id": "cumprimentar",
                    "say": "Boa tarde, {customer_first_name}!",
                    "behaviors": ["TESTE.NOME"],
                    "next": "pedido",
                },
                {
                    "id": "registrar-direto",
                    "say": "Já registro a promessa.",
                    "behaviors": ["TESTE.REGISTRAR"],
                    "when": "not broken",
                    "next": "registrado",
                },
            ],
        },
        {
            "id": "pedido",
            "customer": "Pode religar?",
            "choices": [
                {
                    "id": "verificar",
                    "say": "Vou verificar se o contrato está apto.",
                    "behaviors": ["TESTE.VERIFICAR"],
                    "next": "analise",
                },
            ],
        },
        {
            "id": "analise",
            "customer": "E então?",
            "screen": {"notes": ["Promessa anterior descumprida: {broken}"]},
            "choices": [
                {
                    "id": "registrar",
                    "say": "Registrei a promessa.",
                    "behaviors": ["TESTE.REGISTRAR"],
                    "when": "not broken",
                    "next": "registrado",
                },
                {
                    "id": "registrar-reincidente",
                    "say": "Registrei a promessa.",
                    "behaviors": ["TESTE.REGISTRAR", "TESTE.SEGUNDA"],
                    "when": "broken",
                    "next": "registrado",
                },
                {"id": "recusar", "say": "Não está apto.", "next": "fim-recusa"},
            ],
        },
        {
            "id": "registrado",
            "customer": "E volta quando?",
            "choices": [
                {
                    "id": "informar",
                    "say": "Em até 2 horas.",
                    "behaviors": ["TESTE.INFORMAR"],
                    "next": "fim",
                },
                {"id": "repetir", "say": "Só um momento.", "next": "registrado"},
                {"id": "encerrar", "say": "Obrigado, tchau.", "next": "fim"},
            ],
        },
        {"id": "fim", "customer": "Obrigado!", "outcome": "Promessa registrada."},
        {"id": "fim-recusa", "customer": "Tudo bem.", "outcome": "Sem promessa."},
    ],
    "rubric": {
        "pass_mark": 70,
        "items": [
            {"id": "nome", "section": "rapport", "kind": "required", "behavior": "TESTE.NOME"},
            {
                "id": "verificar",
                "section": "compliance",
                "kind": "required",
                "behavior": "TESTE.VERIFICAR",
                "weight": 2,
            },
            {
                "id": "verificar-antes",
                "section": "compliance",
                "kind": "order",
                "behavior": "TESTE.VERIFICAR",
                "before": "TESTE.REGISTRAR",
            },
            {
                "id": "registrar-se-apto",
                "section": "resolution",
                "kind": "required",
                "behavior": "TESTE.REGISTRAR",
                "when": ELIGIBLE,
                "weight": 2,
            },
            {
                "id": "nao-registrar-sem-aptidao",
                "section": "compliance",
                "kind": "forbidden",
                "behavior": "TESTE.REGISTRAR",
                "when": "days_open <= 4",
                "weight": 3,
            },
            {
                "id": "nunca-segunda",
                "section": "compliance",
                "kind": "critical",
                "behavior": "TESTE.SEGUNDA",
                "expert": "Não é possível fazer uma nova promessa para esta fatura.",
            },
            {
                "id": "informar",
                "section": "compliance",
                "kind": "required",
                "behavior": "TESTE.INFORMAR",
                "when": ELIGIBLE,
            },
        ],
    },
}

# Facts for each case of the call, with the customer's name drawn.
ELIGIBLE_FACTS = {"customer_name": "Marcos Ribeiro", "days_open": 7, "broken": False}
TOO_EARLY_FACTS = {"customer_name": "Marcos Ribeiro", "days_open": 2, "broken": False}
BROKEN_FACTS = {"customer_name": "Marcos Ribeiro", "days_open": 7, "broken": True}

# The choices that earn full marks when eligible.
EXPERT_PATH = [
    ("abertura", "cumprimentar"),
    ("pedido", "verificar"),
    ("analise", "registrar"),
    ("registrado", "informar"),
]


def call_definition():
    return copy.deepcopy(CALL)


def make_call(**scenario_fields):
    """The call in the database, with its curriculum behaviours."""
    procedure = ProcedureFactory(slug="promessa-teste", title="Promessa de pagamento (teste)")
    for code, (label, kind, prohibited) in CODES.items():
        BehaviorFactory(
            procedure=procedure,
            code=code,
            label=label,
            kind=kind,
            prohibited=prohibited,
            manual_quote=f"Trecho do manual sobre {label.lower()}.",
        )
    scenario = ScenarioFactory(
        module=procedure.module, slug="promessa-teste", title="Promessa (teste)", **scenario_fields
    )
    scenario.procedures.add(procedure)
    ScenarioVersionFactory(scenario=scenario, definition=call_definition())
    return scenario
