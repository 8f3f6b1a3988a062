"""A small payment-promise call used across the scenario tests, and the curriculum it needs.

Its facts vary whether a promise may be registered (the invoice open more than 4 days, no
broken promise); registering performs a violation when the customer is not eligible, refusing
one when they are; it has a mandatory disclosure, a false deadline, a bonus, an order rule,
conditional items, customer replies, and a self-loop so tests can play long transcripts.
"""

import copy

from scenarios.selectors import graph_of
from tests.factories import (
    BehaviorFactory,
    ProcedureFactory,
    ScenarioFactory,
    ScenarioVersionFactory,
)
from training.models import Behavior

CODES = {
    "TESTE.NOME": ("Chamar o cliente pelo nome", Behavior.Kind.RAPPORT),
    "TESTE.EMPATIA": ("Demonstrar interesse em ajudar", Behavior.Kind.RAPPORT),
    "TESTE.VERIFICAR": ("Verificar a aptidão", Behavior.Kind.ACTION),
    "TESTE.REGISTRAR": ("Registrar a promessa", Behavior.Kind.ACTION),
    "TESTE.INFORMAR": ("Informar o religue em até 2 horas", Behavior.Kind.DISCLOSURE),
    "TESTE.EXPLICAR_INAPTIDAO": ("Explicar por que não está apto", Behavior.Kind.DISCLOSURE),
    "TESTE.SEGUNDA": ("Fazer nova promessa após descumprimento", Behavior.Kind.VIOLATION),
    "TESTE.SEM_APTIDAO": ("Registrar a promessa sem aptidão", Behavior.Kind.VIOLATION),
    "TESTE.RECUSA_INDEVIDA": ("Negar a promessa a um cliente apto", Behavior.Kind.VIOLATION),
    "TESTE.PRAZO_ERRADO": ("Informar um prazo de religue errado", Behavior.Kind.VIOLATION),
    "TESTE.SEM_VERIFICAR": ("Registrar sem verificar a aptidão", Behavior.Kind.VIOLATION),
}

ELIGIBLE = "days_open > 4 and not broken"
# Registering performs the registration, and breaks a rule when the customer is not eligible.
REGISTERS = [
    "TESTE.REGISTRAR",
    {"code": "TESTE.SEM_APTIDAO", "when": "days_open <= 4"},
    {"code": "TESTE.SEGUNDA", "when": "broken"},
]

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
                    "id": "cumprimentar-ajudar",
                    "say": "Boa tarde, {customer_first_name}, vou te ajudar agora.",
                    "behaviors": ["TESTE.NOME", "TESTE.EMPATIA"],
                    "next": "pedido",
                },
                {
                    "id": "registrar-direto",
                    "say": "Já registro a promessa.",
                    "behaviors": [*REGISTERS, "TESTE.SEM_VERIFICAR"],
                    "reply": "Nossa, já? Que rápido.",
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
                    "behaviors": REGISTERS,
                    "next": "registrado",
                },
                {
                    "id": "recusar",
                    "say": "Não está apto.",
                    "behaviors": [
                        {"code": "TESTE.RECUSA_INDEVIDA", "when": ELIGIBLE},
                        {"code": "TESTE.EXPLICAR_INAPTIDAO", "when": f"not ({ELIGIBLE})"},
                    ],
                    "next": "fim-recusa",
                },
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
                {
                    "id": "repetir",
                    "say": "Só um momento.",
                    "neutral": "Pedir um momento não diz nada de certo nem de errado.",
                    "next": "registrado",
                },
                {
                    "id": "prazo-errado",
                    "say": "Em até 24 horas.",
                    "behaviors": ["TESTE.PRAZO_ERRADO"],
                    "reply": "Um dia inteiro?",
                    "next": "fim",
                },
            ],
        },
        {"id": "fim", "customer": "Obrigado!", "outcome": "Promessa registrada."},
        {"id": "fim-recusa", "customer": "Tudo bem.", "outcome": "Sem promessa."},
    ],
    "rubric": {
        "pass_mark": 70,
        "items": [
            {"id": "nome", "section": "rapport", "kind": "required", "behavior": "TESTE.NOME"},
            {"id": "empatia", "section": "rapport", "kind": "bonus", "behavior": "TESTE.EMPATIA"},
            {
                "id": "verificar",
                "section": "compliance",
                "kind": "mandatory",
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
                "kind": "critical",
                "behavior": "TESTE.SEM_APTIDAO",
            },
            {
                "id": "verificar-primeiro",
                "section": "compliance",
                "kind": "critical",
                "behavior": "TESTE.SEM_VERIFICAR",
            },
            {
                "id": "nunca-segunda",
                "section": "compliance",
                "kind": "critical",
                "behavior": "TESTE.SEGUNDA",
                "expert": "Não é possível fazer uma nova promessa para esta fatura.",
            },
            {
                "id": "nao-recusar-apto",
                "section": "resolution",
                "kind": "critical",
                "behavior": "TESTE.RECUSA_INDEVIDA",
            },
            {
                "id": "explicar-inaptidao",
                "section": "resolution",
                "kind": "required",
                "behavior": "TESTE.EXPLICAR_INAPTIDAO",
                "when": f"not ({ELIGIBLE})",
            },
            {
                "id": "informar",
                "section": "compliance",
                "kind": "mandatory",
                "behavior": "TESTE.INFORMAR",
                "when": ELIGIBLE,
            },
            {
                # Forbidden, with a weight that alone puts the call under its pass mark.
                "id": "prazo-certo",
                "section": "compliance",
                "kind": "forbidden",
                "behavior": "TESTE.PRAZO_ERRADO",
                "weight": 8,
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
    ("abertura", "cumprimentar-ajudar"),
    ("pedido", "verificar"),
    ("analise", "registrar"),
    ("registrado", "informar"),
]


def call_definition():
    return copy.deepcopy(CALL)


def make_call(**scenario_fields):
    """The call in the database, with its curriculum behaviours."""
    procedure = ProcedureFactory(slug="promessa-teste", title="Promessa de pagamento (teste)")
    for code, (label, kind) in CODES.items():
        BehaviorFactory(
            procedure=procedure,
            code=code,
            label=label,
            kind=kind,
            manual_quote=f"Trecho do manual sobre {label.lower()}.",
        )
    scenario = ScenarioFactory(
        module=procedure.module, slug="promessa-teste", title="Promessa (teste)", **scenario_fields
    )
    scenario.procedures.add(procedure)
    ScenarioVersionFactory(scenario=scenario, definition=call_definition())
    return scenario


def place_of(run, step_id: str, choice_id: str) -> int:
    """Where ``choice_id`` is shown at ``step_id`` in ``run`` (from 1), as the page would post
    it; 99, a place no call shows, when it is not on offer."""
    step = graph_of(run.version).step(step_id)
    shown = [c.id for c in step.shown(run.facts, run.seed)] if step else []
    return shown.index(choice_id) + 1 if choice_id in shown else 99


# The same call answered in the agent's own words where it matters: after registering, the
# agent types the reinstatement deadline instead of picking it from a menu.
TYPED_STEP = {
    "id": "registrado",
    "customer": "E agora, o que acontece?",
    "typed": {
        "concepts": [
            {
                "id": "duas-horas",
                "label": "O religue em até 2 horas",
                "behaviors": ["TESTE.INFORMAR"],
                "phrasings": ["religue 2 horas", "sinal volta 2 horas", "religado 2 horas"],
            },
            {
                "id": "prazo-errado",
                "kind": "forbidden",
                "label": "Um prazo de religue errado",
                "behaviors": ["TESTE.PRAZO_ERRADO"],
                "phrasings": ["24 horas", "amanhã", "48 horas"],
            },
        ],
        "next": "fim",
        "samples": [
            {"reply": "O sinal volta em até duas horas.", "expect": "accepted"},
            {"reply": "O religue sai em 24 horas.", "expect": "rejected"},
            {"reply": "Já está tudo certo, pode ficar tranquilo.", "expect": "rejected"},
        ],
    },
}


def chat_definition():
    definition = call_definition()
    definition["steps"] = [
        TYPED_STEP if step["id"] == "registrado" else step for step in definition["steps"]
    ]
    return definition


def make_chat_call():
    scenario = make_call()
    version = scenario.versions.get()
    version.definition = chat_definition()
    version.save()
    return scenario
