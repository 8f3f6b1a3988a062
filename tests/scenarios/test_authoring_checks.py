"""Authoring checks on broken call graphs, each kind of problem at the path it is about, and
the proof that a call is a real test: every wrong line costs, no path through a violation
passes (no database)."""

from scenarios.checks import check_scenario
from tests.scenarios.calls import CODES, call_definition

VIOLATIONS = {code for code, (_, kind) in CODES.items() if kind == "violation"}


def step(definition, step_id):
    return next(s for s in definition["steps"] if s["id"] == step_id)


def choice(definition, step_id, choice_id):
    return next(c for c in step(definition, step_id)["choices"] if c["id"] == choice_id)


def rubric_item(definition, item_id):
    return next(i for i in definition["rubric"]["items"] if i["id"] == item_id)


def problems(definition, violations=VIOLATIONS):
    return [(p.path, p.message) for p in check_scenario(definition, violations).problems]


def test_the_sound_call_passes_and_every_case_of_its_facts_is_proven():
    report = check_scenario(call_definition(), VIOLATIONS)

    assert report.ok, report.problems
    # eligible, invoice too recent, broken promise (with or without "too recent")...
    assert report.cases >= 3
    assert report.paths > report.passing_paths > 0
    paths = {tuple(path) for _, path in report.witnesses}
    assert ("cumprimentar-ajudar", "verificar", "registrar", "informar") in paths
    assert ("cumprimentar-ajudar", "verificar", "recusar") in paths


def test_it_reports_a_step_nothing_leads_to():
    definition = call_definition()
    definition["steps"].append({"id": "esquecido", "customer": "Oi?", "outcome": "Nunca."})

    assert (("steps", 6, "id"), "step 'esquecido' cannot be reached") in problems(definition)


def test_it_reports_a_dead_end_with_no_choices_and_no_outcome():
    definition = call_definition()
    del step(definition, "fim")["outcome"]

    assert (
        ("steps", 4),
        "dead end: step 'fim' has no choices and no outcome",
    ) in problems(definition)


def test_it_reports_a_choice_leading_to_a_step_that_does_not_exist():
    definition = call_definition()
    choice(definition, "pedido", "verificar")["next"] = "analize"

    assert (
        ("steps", 1, "choices", 0, "next"),
        "the choice leads nowhere: no step 'analize'",
    ) in problems(definition)


def test_it_reports_a_branching_choice_with_no_branch_for_some_facts():
    definition = call_definition()
    choice(definition, "pedido", "verificar")["next"] = [
        {"when": "days_open > 4", "step": "analise"}
    ]

    found = problems(definition)

    assert any(
        path == ("steps", 1, "choices", 0, "next")
        and "leads nowhere when" in message
        and "days_open=" in message
        for path, message in found
    ), found


def test_it_reports_a_step_where_nothing_is_on_offer_for_some_facts():
    definition = call_definition()
    for option in step(definition, "pedido")["choices"]:
        option["when"] = "broken"

    found = problems(definition)

    assert any(path == ("steps", 1) and "dead end when" in m for path, m in found), found


def test_it_reports_steps_from_which_the_call_cannot_end():
    definition = call_definition()
    # After a second promise, only "one moment" is on offer: the call goes round forever.
    for option in step(definition, "registrado")["choices"]:
        if option["id"] != "repetir":
            option["when"] = "not broken"

    found = problems(definition)

    assert any(
        path == ("steps", 3) and "cannot end from here when" in m and "broken=True" in m
        for path, m in found
    ), found


def test_it_reports_conditions_and_texts_naming_unknown_facts():
    definition = call_definition()
    choice(definition, "analise", "recusar")["when"] = "dias_em_aberto <= 4"
    step(definition, "pedido")["customer"] = "Meu contrato {contrato} pode religar?"
    rubric_item(definition, "registrar-se-apto")["when"] = "status == 'total'"
    choice(definition, "abertura", "registrar-direto")["behaviors"][1]["when"] = "saldo > 0"

    found = problems(definition)

    assert (
        ("steps", 2, "choices", 1, "when"),
        "the condition names an unknown fact 'dias_em_aberto'",
    ) in found
    assert (("steps", 1, "customer"), "the text names an unknown fact {contrato}") in found
    assert (
        ("rubric", "items", 4, "when"),
        "the condition names an unknown fact 'status'",
    ) in found
    assert (
        ("steps", 0, "choices", 2, "behaviors", 1, "when"),
        "the condition names an unknown fact 'saldo'",
    ) in found


def test_it_reports_a_condition_that_is_not_in_the_safe_language():
    definition = call_definition()
    choice(definition, "analise", "recusar")["when"] = "__import__('os').system('ls')"

    found = problems(definition)

    assert [path for path, _ in found] == [("steps", 2, "choices", 1, "when")]


def test_it_reports_a_required_item_no_path_can_satisfy():
    definition = call_definition()
    definition["rubric"]["items"].append(
        {"id": "saldo", "section": "compliance", "kind": "mandatory", "behavior": "TESTE.NOME2"}
    )

    found = problems(definition)

    assert any(
        path == ("rubric", "items", 12) and "no path can satisfy this item (TESTE.NOME2)" in m
        for path, m in found
    ), found


def test_it_reports_when_no_path_earns_full_marks_for_some_facts():
    definition = call_definition()
    # The only way to tell the customer when the signal returns now also misses the bonus
    # path: every greeting that earns the bonus leaves out the name.
    choice(definition, "abertura", "cumprimentar-ajudar")["behaviors"] = ["TESTE.EMPATIA"]
    choice(definition, "abertura", "cumprimentar")["behaviors"] = ["TESTE.NOME"]

    found = problems(definition)

    assert any(path == ("rubric",) and "no path earns full marks when" in m for path, m in found)


def test_it_reports_a_violation_no_rubric_item_catches():
    definition = call_definition()
    definition["rubric"]["items"] = [
        i for i in definition["rubric"]["items"] if i["behavior"] != "TESTE.PRAZO_ERRADO"
    ]

    found = problems(definition)

    assert (
        ("steps", 3, "choices", 2, "behaviors", 0),
        "TESTE.PRAZO_ERRADO is a violation, but no critical or forbidden rubric item catches it",
    ) in found


def test_a_wrong_line_that_costs_too_little_to_fail_the_call_is_reported():
    definition = call_definition()
    rubric_item(definition, "prazo-certo")["weight"] = 1

    found = problems(definition)

    assert any(
        path == ("steps", 3, "choices", 2)
        and "breaks TESTE.PRAZO_ERRADO but does not fail the call" in m
        for path, m in found
    ), found


def test_a_violation_whose_item_does_not_apply_to_some_facts_is_reported():
    definition = call_definition()
    rubric_item(definition, "nunca-segunda")["when"] = "days_open > 7"

    found = problems(definition)

    assert any(
        path == ("steps", 2, "choices", 0)
        and "breaks TESTE.SEGUNDA but does not fail the call when" in m
        and "days_open=" in m
        for path, m in found
    ), found


def test_prohibition_items_judge_violations_and_only_they_do():
    definition = call_definition()
    rubric_item(definition, "nunca-segunda")["behavior"] = "TESTE.REGISTRAR"
    rubric_item(definition, "nome")["behavior"] = "TESTE.PRAZO_ERRADO"

    found = problems(definition)

    assert (
        ("rubric", "items", 7, "behavior"),
        "a critical item judges a violation: TESTE.REGISTRAR is not a behaviour of kind "
        "violation (name the wrong move as a violation in the curriculum)",
    ) in found
    assert (
        ("rubric", "items", 0, "behavior"),
        "TESTE.PRAZO_ERRADO is a violation: judge it with a forbidden or critical item",
    ) in found


def test_a_decision_without_a_wrong_line_that_breaks_a_rule_is_reported():
    definition = call_definition()
    step(definition, "registrado")["choices"] = [
        c for c in step(definition, "registrado")["choices"] if c["id"] != "prazo-errado"
    ]

    found = problems(definition)

    assert any(
        path == ("steps", 3, "choices") and "offers no wrong line that breaks a rule" in m
        for path, m in found
    ), found


def test_a_choice_that_performs_nothing_for_some_facts_must_say_why():
    definition = call_definition()
    choice(definition, "analise", "recusar")["behaviors"].pop(1)

    found = problems(definition)

    assert any(
        path == ("steps", 2, "choices", 1)
        and "performs no behaviour when" in m
        and "days_open=1" in m
        for path, m in found
    ), found


def test_a_path_through_a_violation_never_passes():
    definition = call_definition()
    # A "critical" turned into a token forbidden item: the checks catch the free lie twice,
    # at the line and in the proof over every path.
    item = rubric_item(definition, "nunca-segunda")
    item["kind"], item["weight"] = "forbidden", 1

    found = problems(definition)

    assert any("breaks TESTE.SEGUNDA but does not fail the call" in m for _, m in found)
    assert any(
        path == ("rubric",) and "a path through TESTE.SEGUNDA passes when" in m for path, m in found
    ), found


def test_it_reports_duplicate_ids():
    definition = call_definition()
    definition["steps"].append(dict(step(definition, "fim")))
    choice(definition, "analise", "recusar")["id"] = "registrar"
    definition["rubric"]["items"][1]["id"] = "nome"

    found = problems(definition)

    assert (("steps", 6, "id"), "duplicate step id 'fim'") in found
    assert (
        ("steps", 2, "choices", 1, "id"),
        "duplicate choice id 'registrar' in this step",
    ) in found
    assert (("rubric", "items", 1, "id"), "duplicate item id 'nome'") in found


def test_an_end_step_offering_choices_is_a_problem():
    definition = call_definition()
    step(definition, "fim")["choices"] = [
        {"id": "mais", "say": "Algo mais?", "neutral": "Só uma pergunta.", "next": "abertura"}
    ]

    assert (
        ("steps", 4, "choices"),
        "an end step (with an outcome) offers no choices",
    ) in problems(definition)
