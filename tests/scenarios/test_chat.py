"""The typed-reply grader: what it accepts, and that every wrong reply loses."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.chat import ConceptKind, concepts_from, grade_reply, tokenize

CONCEPTS = concepts_from(
    [
        {
            "id": "duas-horas",
            "label": "Reabilitação em até 2 horas",
            "behaviors": ["PROMESSA.INFORMAR_REABILITACAO_DUAS_HORAS"],
            "phrasings": ["contrato reabilitado 2 horas", "sinal volta 2 horas"],
            "value": {"equals": 2, "unit": "horas"},
        },
        {
            "id": "dia-util",
            "label": "Pagamento no próximo dia útil",
            "behaviors": ["FINANCEIRO.INFORMAR_PAGAMENTO_PROXIMO_DIA_UTIL"],
            "phrasings": ["pagar próximo dia útil", "pagamento próximo dia útil"],
        },
        {
            "id": "fim-do-mes",
            "kind": "forbidden",
            "label": "Prazo de pagamento errado",
            "behaviors": ["FINANCEIRO.PRAZO_PAGAMENTO_PROMESSA_INCORRETO"],
            "phrasings": ["fim do mês", "pagar quando puder"],
        },
    ]
)
FACTS = {"customer_name": "Ana Souza"}


def grade(text, concepts=CONCEPTS, facts=FACTS):
    return grade_reply(text, concepts, facts)


def found(result):
    return {f.concept: f.matched for f in result.found}


@pytest.mark.parametrize(
    "reply",
    [
        "O pagamento precisa ser no próximo dia útil e o sinal volta em até duas horas.",
        "o pagamento precisa ser no proximo dia util, e o sinal volta em ate 2h",
        "PAGAMENTO NO PRÓXIMO DIA ÚTIL! Seu contrato é reabilitado em 02 horas.",
        "vc precisa pagar no próximo dia útl. o contrato é reabilitado em até duas horas",
    ],
)
def test_the_same_idea_in_other_words_accents_numbers_and_typos_is_accepted(reply):
    result = grade(reply)
    assert result.accepted, found(result)
    assert result.performed == (
        "PROMESSA.INFORMAR_REABILITACAO_DUAS_HORAS",
        "FINANCEIRO.INFORMAR_PAGAMENTO_PROXIMO_DIA_UTIL",
    )


@pytest.mark.parametrize(
    "reply, missing",
    [
        # The disclosure left out.
        ("O sinal volta em até duas horas, tá bom?", "dia-util"),
        # Said under a negation: it does not count.
        ("Não precisa pagar no próximo dia útil; o sinal volta em 2 horas.", "dia-util"),
        # The wrong figure.
        ("Pagamento no próximo dia útil; o sinal volta em até 3 horas.", "duas-horas"),
        # The words far apart across sentences are not the idea.
        ("Vou pagar. Próximo? Dia útil. O sinal volta em 2 horas.", "dia-util"),
    ],
)
def test_a_reply_missing_a_required_idea_loses(reply, missing):
    result = grade(reply)
    assert not result.accepted
    assert found(result)[missing] is False


def test_a_forbidden_claim_fails_the_reply_even_beside_every_right_idea():
    result = grade(
        "Pagamento no próximo dia útil, o sinal volta em 2 horas, mas pode pagar até o fim "
        "do mês se preferir."
    )
    assert not result.accepted
    assert "FINANCEIRO.PRAZO_PAGAMENTO_PROMESSA_INCORRETO" in result.performed


def test_keyword_stuffing_loses():
    every_phrasing = ", ".join(p for c in CONCEPTS for p in c.phrasings)
    assert not grade(every_phrasing).accepted


def test_a_forbidden_claim_denied_is_not_made():
    result = grade(
        "Não é até o fim do mês: o pagamento é no próximo dia útil, e o sinal volta em 2 horas."
    )
    assert result.accepted
    fim = next(f for f in result.found if f.concept == "fim-do-mes")
    assert not fim.matched and fim.denied


def test_a_phrasing_that_carries_its_negation_needs_it():
    concepts = concepts_from(
        [
            {
                "id": "sem-multa",
                "label": "Não há multa",
                "behaviors": ["X.SEM_MULTA"],
                "phrasings": ["não tem multa"],
            },
            {
                "id": "tem-multa",
                "kind": ConceptKind.FORBIDDEN,
                "label": "Há multa",
                "behaviors": ["X.MULTA"],
                "phrasings": ["tem multa"],
            },
        ]
    )
    assert grade("Fique tranquila, não tem multa.", concepts).accepted
    refused = grade("Tem multa, infelizmente.", concepts)
    assert not refused.accepted
    assert found(refused) == {"sem-multa": False, "tem-multa": True}


def test_figures_from_the_run_facts_with_tolerance_and_money():
    concepts = concepts_from(
        [
            {
                "id": "dias",
                "label": "Dias em aberto",
                "behaviors": ["X.DIAS"],
                "value": {"fact": "days_open", "unit": "dias", "tolerance": 1},
            },
            {
                "id": "valor",
                "label": "Valor",
                "behaviors": ["X.VALOR"],
                "value": {"fact": "amount", "unit": "reais"},
            },
        ]
    )
    facts = {"days_open": 12, "amount": "189,90"}
    assert grade(
        "A fatura está aberta há doze dias, no valor de R$ 189,90.", concepts, facts
    ).accepted
    assert grade("São 13 dias em aberto e 189,90 reais.", concepts, facts).accepted
    assert not grade("São 15 dias em aberto e R$ 189,90.", concepts, facts).accepted
    assert not grade("São 12 dias em aberto e R$ 198,90.", concepts, facts).accepted


def test_numbers_in_words_read_as_figures():
    stems = [t.stem for t in tokenize("vinte e cinco dias, cento e dez reais, duas horas, 2h")]
    assert stems[:2] == ["25", "dia"]
    assert "110" in stems and stems.count("2") == 2


def test_the_evidence_is_the_span_that_matched_and_the_grade_never_varies():
    reply = "Certo, Ana! O pagamento deve ser feito no próximo dia útil. O sinal volta em 2h."
    results = {repr(grade(reply).to_dict()) for _ in range(5)}
    assert len(results) == 1
    evidence = {f.concept: reply[f.start : f.end] for f in grade(reply).found if f.matched}
    assert evidence == {
        "dia-util": "pagamento deve ser feito no próximo dia útil",
        "duas-horas": "sinal volta em 2h",
    }


def test_chat_abbreviations_asides_and_dotted_words_read_as_written_in_full():
    reply = "Vc paga no próx. dia útil (é o dia de trabalho seguinte, tá?) e o sinal volta em 2h"
    assert grade(reply).accepted
    assert grade("o pagamento é no próx dia útil, q o sinal volta em 2 horas").accepted


def test_a_phrasing_with_a_negation_is_read_closely():
    concepts = concepts_from(
        [
            {
                "id": "prazo",
                "label": "Pagar no próximo dia útil",
                "behaviors": ["X.PRAZO"],
                "phrasings": ["pagar próximo dia útil"],
            },
            {
                "id": "dispensa",
                "kind": "forbidden",
                "label": "Dispensar o pagamento no próximo dia útil",
                "behaviors": ["X.DISPENSA"],
                "phrasings": ["não precisa pagar próximo dia útil"],
            },
        ]
    )
    assert grade("Não precisa de mais nada além de pagar no próximo dia útil.", concepts).accepted
    assert not grade("Não precisa pagar no próximo dia útil, viu?", concepts).accepted


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_graded_the_same_way_twice_and_never_raises(text):
    first, second = grade(text), grade(text)
    assert first == second
    for result in first.found:
        if result.matched:
            assert 0 <= result.start <= result.end <= len(text)
