"""The pure scorecard: required, mandatory, forbidden, critical, order, bonus and conditional
items, sections that fail, totals and pass or fail; a wrong move always costs (no database)."""

from scenarios.grading import (
    GradeResult,
    ItemKind,
    Rubric,
    RubricItem,
    Section,
    TurnRecord,
    Verdict,
    behavior_outcomes,
    grade,
    turn_marks,
)


def turns(*behaviours):
    """One TurnRecord per argument, numbered from 1; each argument a code or a tuple of codes."""
    return [
        TurnRecord(index=i, behaviors=(b,) if isinstance(b, str) else tuple(b))
        for i, b in enumerate(behaviours, start=1)
    ]


def item(id, kind="required", behavior="A", section="compliance", **fields):
    return RubricItem(
        id=id, kind=ItemKind(kind), behavior=behavior, section=Section(section), **fields
    )


def verdicts(result):
    return {i.id: (i.verdict, i.turn) for i in result.items}


def test_a_required_behaviour_is_met_at_the_first_turn_that_performs_it():
    result = grade(turns("X", "A", "A"), {}, Rubric(items=(item("a"),)))

    assert verdicts(result) == {"a": (Verdict.MET, 2)}
    assert result.total == 100.0
    assert result.passed


def test_a_required_behaviour_never_performed_is_missed_with_no_deciding_turn():
    result = grade(turns("X"), {}, Rubric(items=(item("a"), item("b", behavior="X"))))

    assert verdicts(result)["a"] == (Verdict.MISSED, None)
    assert result.total == 50.0
    assert not result.passed


def test_weights_decide_the_score():
    rubric = Rubric(items=(item("a", weight=3), item("b", behavior="B")))

    assert grade(turns("A"), {}, rubric).total == 75.0
    assert grade(turns("B"), {}, rubric).total == 25.0


def test_a_forbidden_behaviour_costs_its_weight_but_does_not_fail_the_call_alone():
    rubric = Rubric(
        items=(
            item("a", weight=9),
            item("never-b", kind="forbidden", behavior="B"),
        ),
        pass_mark=70,
    )

    kept = grade(turns("A"), {}, rubric)
    broken = grade(turns("A", "B"), {}, rubric)

    assert verdicts(kept)["never-b"] == (Verdict.MET, None)
    assert verdicts(broken)["never-b"] == (Verdict.VIOLATED, 2)
    assert broken.total == 90.0
    assert broken.passed
    assert broken.critical_errors == ()


def test_a_critical_error_fails_the_call_whatever_the_score():
    rubric = Rubric(
        items=(
            item("a", weight=10, section="resolution"),
            item("never-b", kind="critical", behavior="B"),
        ),
        pass_mark=50,
    )

    result = grade(turns("A", ("B", "C")), {}, rubric)

    assert result.total > result.pass_mark
    assert result.critical_errors == ("never-b",)
    assert verdicts(result)["never-b"] == (Verdict.VIOLATED, 2)
    assert not result.passed


def test_an_order_item_is_kept_when_the_first_behaviour_comes_before_the_second():
    rubric = Rubric(items=(item("a-then-b", kind="order", behavior="A", before="B"),))

    assert verdicts(grade(turns("A", "X", "B"), {}, rubric))["a-then-b"] == (Verdict.MET, 3)
    # One choice doing both, in the order its words say them.
    assert verdicts(grade(turns(("A", "B")), {}, rubric))["a-then-b"] == (Verdict.MET, 1)


def test_an_order_item_is_broken_at_the_turn_the_second_behaviour_came_too_early():
    rubric = Rubric(items=(item("a-then-b", kind="order", behavior="A", before="B"),))

    assert verdicts(grade(turns("B", "A"), {}, rubric))["a-then-b"] == (Verdict.VIOLATED, 1)
    assert verdicts(grade(turns("X", "B"), {}, rubric))["a-then-b"] == (Verdict.VIOLATED, 2)


def test_an_order_item_with_nothing_to_order_is_kept():
    rubric = Rubric(items=(item("a-then-b", kind="order", behavior="A", before="B"),))

    assert verdicts(grade(turns("X"), {}, rubric))["a-then-b"][0] == Verdict.MET


def test_a_conditional_item_applies_only_when_its_condition_holds_on_the_facts():
    rubric = Rubric(
        items=(
            item("greet", behavior="G", section="rapport"),
            item(
                "balance",
                behavior="SALDO",
                when="contract_status == 'inadimplente'",
            ),
        )
    )

    in_default = grade(turns("G"), {"contract_status": "inadimplente"}, rubric)
    up_to_date = grade(turns("G"), {"contract_status": "adimplente"}, rubric)

    assert verdicts(in_default)["balance"] == (Verdict.MISSED, None)
    assert in_default.total == 50.0
    assert verdicts(up_to_date)["balance"] == (Verdict.NOT_APPLICABLE, None)
    assert up_to_date.total == 100.0


def test_a_conditional_critical_item_does_not_fail_a_call_it_does_not_apply_to():
    rubric = Rubric(items=(item("no-promise", kind="critical", behavior="P", when="broken"),))

    assert grade(turns("P"), {"broken": False}, rubric).passed
    assert not grade(turns("P"), {"broken": True}, rubric).passed


def test_each_section_is_scored_on_its_own_and_compliance_is_reported_apart():
    rubric = Rubric(
        items=(
            item("c1", behavior="C1", section="compliance"),
            item("c2", behavior="C2", section="compliance"),
            item("r1", behavior="R1", section="resolution", weight=2),
            item("p1", behavior="P1", section="rapport", when="False"),
        )
    )

    result = grade(turns("C1", "R1"), {}, rubric)

    assert result.sections == {"compliance": 50.0, "resolution": 100.0}
    assert result.compliance == 50.0
    assert result.total == 75.0


def test_a_rubric_with_nothing_applicable_scores_full_marks():
    rubric = Rubric(items=(item("a", when="False"),))

    result = grade([], {}, rubric)

    assert result.total == 100.0
    assert result.passed


def test_per_behaviour_outcomes_keep_a_behaviour_only_when_every_item_on_it_went_right():
    rubric = Rubric(
        items=(
            item("a", behavior="A"),
            item("b-then-a", kind="order", behavior="B", before="A"),
            item("never-c", kind="forbidden", behavior="C"),
            item("d", behavior="D", when="False"),
        )
    )

    result = grade(turns("A", "B"), {}, rubric)

    assert behavior_outcomes(result) == {"A": True, "B": False, "C": True}


def test_turn_marks_name_the_items_each_turn_earned_and_broke():
    rubric = Rubric(
        items=(item("a"), item("never-b", kind="critical", behavior="B"), item("c", behavior="C"))
    )

    marks = turn_marks(grade(turns("A", "B", "X"), {}, rubric))

    assert marks == {1: {"met": ["a"], "violated": []}, 2: {"met": [], "violated": ["never-b"]}}


def test_a_result_survives_a_round_trip_through_json_data():
    rubric = Rubric(items=(item("a"), item("never-b", kind="critical", behavior="B")))
    result = grade(turns("A", "B"), {}, rubric)

    assert GradeResult.from_dict(result.to_dict()) == result


def test_a_call_ended_before_it_was_resolved_fails_and_has_no_score():
    rubric = Rubric(items=(item("a"),))

    result = grade(turns("A"), {}, rubric, completed=False)

    assert result.total is None
    assert not result.completed
    assert not result.passed


def test_a_call_hung_up_at_once_is_not_completed_never_half_marks():
    rubric = Rubric(items=(item("a"), item("never-b", kind="critical", behavior="B")))

    result = grade([], {}, rubric, completed=False)

    assert (result.total, result.passed, result.critical_errors) == (None, False, ())


def test_a_call_ended_early_still_carries_its_violations_but_no_omission():
    rubric = Rubric(
        items=(
            item("must-d", kind="mandatory", behavior="D"),
            item("never-b", kind="critical", behavior="B"),
        )
    )

    result = grade(turns("B"), {}, rubric, completed=False)

    assert result.critical_errors == ("never-b",)
    assert behavior_outcomes(result) == {"B": False}


def test_a_mandatory_behaviour_left_out_fails_the_call_and_zeroes_its_section():
    rubric = Rubric(
        items=(
            item("must-d", kind="mandatory", behavior="D"),
            item("c", behavior="C"),
            item("r", behavior="R", section="resolution", weight=8),
        ),
        pass_mark=50,
    )

    result = grade(turns("C", "R"), {}, rubric)

    assert verdicts(result)["must-d"] == (Verdict.MISSED, None)
    assert result.critical_errors == ("must-d",)
    assert result.sections == {"compliance": 0.0, "resolution": 100.0}
    # The failed section earns nothing in the total either: 8 of 10.
    assert result.total == 80.0
    assert not result.passed


def test_a_critical_violation_zeroes_its_section_and_is_marked_at_every_turn_it_happened():
    rubric = Rubric(
        items=(
            item("a"),
            item("never-b", kind="critical", behavior="B"),
            item("r", behavior="R", section="resolution"),
        )
    )

    result = grade(turns("B", "A", "R", ("B", "X")), {}, rubric)

    assert verdicts(result)["never-b"] == (Verdict.VIOLATED, 1)
    assert result.items[1].turns == (1, 4)
    assert result.sections["compliance"] == 0.0
    assert turn_marks(result)[4] == {"met": [], "violated": ["never-b"]}
    assert not result.passed


def test_a_lie_costs_more_than_silence():
    rubric = Rubric(
        items=(
            item("say-d", behavior="D", weight=2),
            item("never-lie", kind="critical", behavior="LIE"),
            item("c", behavior="C", weight=3),
        )
    )

    silent = grade(turns("C"), {}, rubric)
    lying = grade(turns("C", "LIE"), {}, rubric)

    assert lying.total < silent.total
    assert not lying.passed


def test_a_bonus_only_adds_and_never_lifts_a_score_past_full_marks():
    rubric = Rubric(
        items=(
            item("a", weight=3),
            item("b", behavior="B"),
            item("extra", kind="bonus", behavior="E"),
        )
    )

    assert grade(turns("A"), {}, rubric).total == 75.0
    assert grade(turns("A", "E"), {}, rubric).total == 100.0
    assert grade(turns("A", "B", "E"), {}, rubric).total == 100.0
    missed = grade(turns("A", "B"), {}, rubric)
    assert missed.total == 100.0
    assert verdicts(missed)["extra"] == (Verdict.MISSED, None)
    # A bonus not earned is not a miss in the reports.
    assert "E" not in behavior_outcomes(missed)


def test_a_forbidden_item_fails_the_call_only_when_its_weight_says_so():
    light = Rubric(items=(item("a", weight=9), item("never-b", kind="forbidden", behavior="B")))
    heavy = Rubric(items=(item("a", weight=2), item("never-b", kind="forbidden", behavior="B")))

    assert light.failing_items("B", {}) == []
    assert [i.id for i in heavy.failing_items("B", {})] == ["never-b"]
    assert not grade(turns("A", "B"), {}, heavy).passed


def test_a_result_stored_before_every_turn_was_kept_still_reads():
    rubric = Rubric(items=(item("a"), item("never-b", kind="critical", behavior="B")))
    stored = grade(turns("A", "B"), {}, rubric).to_dict()
    for data in stored["items"]:
        turns_ = data.pop("turns")
        data["turn"] = turns_[0] if turns_ else None

    assert GradeResult.from_dict(stored) == grade(turns("A", "B"), {}, rubric)


def test_rubric_kinds_say_what_they_judge():
    assert [k for k in ItemKind if k.is_prohibition] == [ItemKind.FORBIDDEN, ItemKind.CRITICAL]
    assert [k for k in ItemKind if k.fails_call] == [ItemKind.MANDATORY, ItemKind.CRITICAL]
    assert [k for k in ItemKind if not k.scored] == [ItemKind.BONUS]


def test_a_rule_done_after_what_it_had_to_precede_is_recorded_as_late():
    from scenarios.grading import TurnRecord, behavior_judgements, grade
    from scenarios.graph import Scenario as CallGraph
    from tests.scenarios.calls import ELIGIBLE_FACTS, call_definition

    rubric = CallGraph.from_definition(call_definition()).rubric
    late = grade(
        [
            TurnRecord(1, ("TESTE.NOME", "TESTE.REGISTRAR")),
            TurnRecord(2, ("TESTE.VERIFICAR", "TESTE.INFORMAR")),
        ],
        ELIGIBLE_FACTS,
        rubric,
    )
    judged = behavior_judgements(late)
    assert not judged["TESTE.VERIFICAR"].kept and judged["TESTE.VERIFICAR"].late
    never = grade([TurnRecord(1, ("TESTE.NOME", "TESTE.REGISTRAR"))], ELIGIBLE_FACTS, rubric)
    assert not behavior_judgements(never)["TESTE.VERIFICAR"].late
