"""The pure grading core: every kind, partial credit, edge cases, behaviours, and scenario
questions whose key comes from conditions over drawn facts. No database."""

from decimal import Decimal

import pytest

from quizzes.grading import Item, grade_item, grade_paper, items_from_paper
from quizzes.paper import QuestionContent, build_paper, public_question, serve_question


def item(kind, *, position=0, behaviors=(), weight=1, **served):
    """A served question of ``kind`` (its key in ``served``), ready to grade."""
    return Item(
        position=position,
        kind=kind,
        served={"kind": kind, "position": position, **served},
        behaviors=tuple(behaviors),
        weight=weight,
    )


def option(correct, behaviors=(), breaks=()):
    return {"text": "", "correct": correct, "behaviors": list(behaviors), "breaks": list(breaks)}


def single(*correct_flags, behaviors=None, breaks=None):
    behaviors, breaks = behaviors or {}, breaks or {}
    return item(
        "single",
        options=[
            option(flag, behaviors.get(i, ()), breaks.get(i, ()))
            for i, flag in enumerate(correct_flags)
        ],
    )


def test_single_choice_scores_one_for_the_right_option_and_zero_otherwise():
    item = single(False, True, False)
    assert grade_item(item, 1).score == 1
    assert grade_item(item, 0).score == 0
    assert grade_item(item, 1).correct


def test_an_unanswered_item_scores_zero_and_misses_what_its_key_demonstrates():
    item = single(True, False, behaviors={0: ["A"]}, breaks={1: ["LIE"]})
    result = grade_item(item, None)
    assert result.score == 0
    assert not result.answered
    # Not answering breaks no rule: the wrong option's violation is not judged.
    assert result.behaviors == {"A": False}


def test_a_wrong_pick_breaks_what_that_option_breaks_not_the_keys_behaviour():
    item = single(
        True,
        False,
        False,
        behaviors={0: ["PRAZO_24H"]},
        breaks={1: ["PRAZO_INCORRETO"], 2: ["ATIVAR_ANTES_DA_FATURA"]},
    )

    assert grade_item(item, 0).behaviors == {"PRAZO_24H": True}
    assert grade_item(item, 1).behaviors == {"PRAZO_INCORRETO": False}
    assert grade_item(item, 2).behaviors == {"ATIVAR_ANTES_DA_FATURA": False}


def test_a_wrong_pick_that_names_nothing_it_breaks_misses_the_keys_behaviour():
    item = single(True, False, behaviors={0: ["A"]})

    assert grade_item(item, 1).behaviors == {"A": False}


@pytest.mark.parametrize("response", [5, -1, "x", [0]])
def test_a_single_choice_out_of_range_earns_nothing_and_misses_the_key(response):
    item = single(True, False, behaviors={0: ["A"]}, breaks={1: ["LIE"]})

    result = grade_item(item, response)

    assert (result.score, result.behaviors) == (0, {"A": False})


def test_multiple_response_gives_partial_credit_with_a_penalty_for_wrong_picks():
    item_ = item(
        "multiple",
        options=[option(True), option(True), option(True), option(False), option(False)],
    )
    assert grade_item(item_, [0, 1, 2]).score == 1
    assert grade_item(item_, [0, 1]).score == Decimal("0.6667")
    assert grade_item(item_, [0, 1, 3]).score == Decimal("0.3333")


def test_multiple_response_is_floored_at_zero():
    item_ = item("multiple", options=[option(True), option(False), option(False)])
    assert grade_item(item_, [1, 2]).score == 0
    assert grade_item(item_, [0, 1, 2]).score == 0


def test_picking_every_option_is_not_full_marks():
    item_ = item("multiple", options=[option(True), option(True), option(False)])
    assert grade_item(item_, [0, 1, 2]).score == Decimal("0.5")


def test_true_false():
    item_ = item("true_false", answer=False)
    assert grade_item(item_, False).score == 1
    assert grade_item(item_, True).score == 0


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([0, 1, 2, 3], Decimal(1)),
        ([3, 2, 1, 0], Decimal(0)),
        ([3, 0, 1, 2], Decimal("0.6667")),  # last step moved first: keeps 0-1 and 1-2
        ([1, 0, 2, 3], Decimal("0.3333")),  # first two swapped: keeps only 2-3
        ([0, 2, 1, 3], Decimal(0)),  # middle swapped: no consecutive pair survives
    ],
)
def test_ordering_scores_the_consecutive_pairs_kept_in_order(given, expected):
    item_ = item("ordering", correct_order=[0, 1, 2, 3])
    assert grade_item(item_, given).score == expected


def test_ordering_works_with_served_indexes_in_any_order():
    item_ = item("ordering", correct_order=[2, 0, 1])
    assert grade_item(item_, [2, 0, 1]).score == 1
    assert grade_item(item_, [0, 1, 2]).score == Decimal("0.5")


def test_matching_scores_the_fraction_of_right_pairs_and_ignores_missing_ones():
    item_ = item("matching", pairs=[2, 0, 1, 3])
    assert grade_item(item_, {"0": 2, "1": 0, "2": 1, "3": 3}).score == 1
    assert grade_item(item_, {"0": 2, "1": 0}).score == Decimal("0.5")
    assert grade_item(item_, {"0": 0, "1": 2, "2": 3, "3": 1}).score == 0


@pytest.mark.parametrize(
    ("given", "expected"),
    [("4", 1), ("4.0", 1), ("4.4", 1), ("3.5", 1), ("4.6", 0), ("-4", 0)],
)
def test_numeric_accepts_answers_within_the_tolerance(given, expected):
    item_ = item("numeric", value="4", tolerance="0.5")
    assert grade_item(item_, given).score == expected


def test_numeric_with_zero_tolerance_needs_the_exact_value():
    item_ = item("numeric", value="24")
    assert grade_item(item_, "24").correct
    assert not grade_item(item_, "23.99").correct


def test_in_a_multiple_response_each_option_is_its_own_judgement():
    item_ = item(
        "multiple",
        options=[
            option(True, ["SALDO"]),
            option(True, ["FORMAS"]),
            option(False, breaks=["PROIBIDO"]),
        ],
    )
    assert grade_item(item_, [0, 2]).behaviors == {
        "SALDO": True,
        "FORMAS": False,
        "PROIBIDO": False,
    }
    # Rejecting the wrong claim keeps the rule it would have broken.
    assert grade_item(item_, [0, 1]).behaviors == {"SALDO": True, "FORMAS": True, "PROIBIDO": True}


def test_behaviours_on_the_question_need_the_item_fully_right():
    item_ = item("ordering", correct_order=[0, 1, 2], behaviors=["ORDEM"])
    assert grade_item(item_, [0, 1, 2]).behaviors == {"ORDEM": True}
    assert grade_item(item_, [1, 0, 2]).behaviors == {"ORDEM": False}


def test_a_paper_is_weighted_passes_at_the_mark_and_a_behaviour_must_be_hit_everywhere():
    items = [
        item("true_false", position=0, answer=True, behaviors=["A"]),
        item("true_false", position=1, answer=True, behaviors=["A", "B"]),
        item("true_false", position=2, answer=True, weight=2),
    ]
    result = grade_paper(items, {0: True, 1: False, 2: True}, pass_mark=75)
    assert result.percent == Decimal("75.00")
    assert result.passed
    assert result.behaviors == {"A": False, "B": False}
    assert not grade_paper(items, {0: True}, pass_mark=75).passed


def test_an_empty_paper_scores_zero():
    result = grade_paper([], {}, pass_mark=0)
    assert result.percent == 0
    assert result.passed  # a pass mark of 0 is passed by anyone


# --- scenario questions: keys from conditions over drawn facts ---------------------------

PROMISE = QuestionContent(
    id=1,
    key="promessa",
    version=3,
    kind="single",
    stem="{customer_name} pede o religue. Status: {status}, {days} dias em aberto.",
    spec={
        "facts": [
            {"name": "customer_name", "kind": "name", "label": "Cliente"},
            {
                "name": "status",
                "kind": "choice",
                "label": "Status",
                "choices": ["parcial", "total", "desconectado", "ativo"],
            },
            {"name": "days", "kind": "int", "label": "Dias", "min": 1, "max": 10},
        ],
        "options": [
            {
                "text": "Registrar a promessa",
                "correct_when": "status in ['parcial', 'total', 'desconectado'] and days > 4",
                "behaviors": ["PROMESSA.VERIFICAR_APTIDAO"],
            },
            {
                "text": "Informar que não está apto",
                "correct_when": "not (status in ['parcial', 'total', 'desconectado'] and days > 4)",
            },
        ],
    },
    explanation="Regra de aptidão.",
    manual_quote="fatura em aberto há mais de 04 dias corrido",
    procedure_id=7,
    procedure_slug="promessa-regras",
    procedure_title="Regras",
    module_slug="promessa",
)


def test_a_scenario_question_computes_its_key_from_the_facts_it_draws():
    for seed in range(40):
        served = serve_question(PROMISE, position=0, seed=seed, shuffle_options=True)
        facts = served["fact_values"]
        eligible = facts["status"] != "ativo" and facts["days"] > 4
        right = [o["text"] for o in served["options"] if o["correct"]]
        assert right == ["Registrar a promessa" if eligible else "Informar que não está apto"]
        assert facts["customer_name"] in served["stem"]
        assert f"{facts['days']} dias" in served["stem"]


def test_the_same_seed_serves_the_same_question_and_different_seeds_vary():
    one = serve_question(PROMISE, position=0, seed=5, shuffle_options=True)
    assert one == serve_question(PROMISE, position=0, seed=5, shuffle_options=True)
    stems = {
        serve_question(PROMISE, position=0, seed=s, shuffle_options=True)["stem"] for s in range(20)
    }
    assert len(stems) > 5


def test_grading_a_served_scenario_uses_the_frozen_key():
    paper = build_paper(
        [PROMISE], seed=11, shuffle_questions=True, shuffle_options=True, quiz={"pass_mark": 70}
    )
    served = paper["questions"][0]
    right = next(i for i, o in enumerate(served["options"]) if o["correct"])
    [item] = items_from_paper(paper)
    assert grade_item(item, right).correct
    assert not grade_item(item, 1 - right).correct


def test_an_ordering_item_is_never_served_in_the_right_order():
    content = QuestionContent(
        **{
            **PROMISE.__dict__,
            "kind": "ordering",
            "stem": "Ordene",
            "spec": {"steps": ["a", "b", "c"]},
        }
    )
    for seed in range(30):
        served = serve_question(content, position=0, seed=seed, shuffle_options=False)
        assert served["steps"] != ["a", "b", "c"]
        assert [served["steps"][i] for i in served["correct_order"]] == ["a", "b", "c"]


def test_the_public_view_of_a_served_question_has_texts_and_no_key():
    served = serve_question(PROMISE, position=0, seed=3, shuffle_options=True)
    public = public_question(served)
    assert public["options"] == [o["text"] for o in served["options"]]
    text = repr(public)
    for secret in ("correct", "answer", "pairs", "correct_order", "behaviors", "explanation"):
        assert secret not in text


@pytest.mark.parametrize(
    ("kind", "response"),
    [
        ("matching", 0),
        ("ordering", "abc"),
        ("numeric", "quatro"),
        ("multiple", 3),
        ("true_false", "yes"),
        ("single", {"a": 1}),
    ],
)
def test_a_response_of_the_wrong_shape_scores_zero_instead_of_failing(kind, response):
    item_ = item(
        kind, options=[option(True)], pairs=[0], correct_order=[0, 1], value="1", answer=True
    )
    result = grade_item(item_, response)
    assert result.score == 0
    assert result.answered


@pytest.mark.parametrize("seed", range(12))
def test_every_kind_knows_the_response_that_earns_the_whole_item(seed):
    import random

    from quizzes.kinds import kind_of
    from quizzes.paper import fact_specs
    from tests.quizzes.conftest import SPECS
    from training.facts import draw_facts

    for name, spec in SPECS:
        kind = kind_of(name)
        facts = draw_facts(fact_specs(spec), seed)
        served = {
            "kind": name,
            **kind.serve(spec, facts, random.Random(seed), shuffle_options=True),
        }

        assert kind.grade(served, kind.right(served)).score == 1, name
