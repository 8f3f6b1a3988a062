"""Authoring checks on broken call graphs, each kind of problem at the path it is about
(no database)."""

from scenarios.checks import check_scenario
from tests.scenarios.calls import call_definition


def step(definition, step_id):
    return next(s for s in definition["steps"] if s["id"] == step_id)


def choice(definition, step_id, choice_id):
    return next(c for c in step(definition, step_id)["choices"] if c["id"] == choice_id)


def problems(definition, prohibited=()):
    return [(p.path, p.message) for p in check_scenario(definition, prohibited).problems]


def test_the_sound_call_passes_and_every_case_of_its_facts_is_proven():
    report = check_scenario(call_definition(), prohibited={"TESTE.SEGUNDA"})

    assert report.ok, report.problems
    # eligible, invoice too recent, broken promise (with or without "too recent")...
    assert report.cases >= 3
    paths = {tuple(path) for _, path in report.witnesses}
    assert ("cumprimentar", "verificar", "registrar", "informar") in paths
    assert ("cumprimentar", "verificar", "recusar") in paths


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
    definition["rubric"]["items"][3]["when"] = "status == 'total'"

    found = problems(definition)

    assert (
        ("steps", 2, "choices", 2, "when"),
        "the condition names an unknown fact 'dias_em_aberto'",
    ) in found
    assert (("steps", 1, "customer"), "the text names an unknown fact {contrato}") in found
    assert (
        ("rubric", "items", 3, "when"),
        "the condition names an unknown fact 'status'",
    ) in found


def test_it_reports_a_condition_that_is_not_in_the_safe_language():
    definition = call_definition()
    choice(definition, "analise", "recusar")["when"] = "__import__('os').system('ls')"

    found = problems(definition)

    assert [path for path, _ in found] == [("steps", 2, "choices", 2, "when")]


def test_it_reports_a_required_item_no_path_can_satisfy():
    definition = call_definition()
    definition["rubric"]["items"].append(
        {"id": "saldo", "section": "compliance", "kind": "required", "behavior": "TESTE.SALDO"}
    )

    found = problems(definition)

    assert any(
        path == ("rubric", "items", 7) and "no path can satisfy this item (TESTE.SALDO)" in m
        for path, m in found
    ), found


def test_it_reports_when_no_path_earns_full_marks_for_some_facts():
    definition = call_definition()
    # The only way to tell the customer when the signal returns now also breaks a rule.
    choice(definition, "registrado", "informar")["behaviors"].append("TESTE.SEGUNDA")

    found = problems(definition)

    assert any(
        path == ("rubric",) and "no path earns full marks when" in m and "broken=False" in m
        for path, m in found
    ), found


def test_it_reports_a_prohibited_behaviour_no_rubric_item_catches():
    definition = call_definition()
    definition["rubric"]["items"] = [
        i for i in definition["rubric"]["items"] if i["behavior"] != "TESTE.SEGUNDA"
    ]

    found = problems(definition, prohibited={"TESTE.SEGUNDA"})

    assert any(
        path == ("steps", 2, "choices", 1, "behaviors") and "TESTE.SEGUNDA" in m
        for path, m in found
    ), found


def test_it_reports_duplicate_ids():
    definition = call_definition()
    definition["steps"].append(dict(step(definition, "fim")))
    choice(definition, "analise", "recusar")["id"] = "registrar"
    definition["rubric"]["items"][1]["id"] = "nome"

    found = problems(definition)

    assert (("steps", 6, "id"), "duplicate step id 'fim'") in found
    assert (
        ("steps", 2, "choices", 2, "id"),
        "duplicate choice id 'registrar' in this step",
    ) in found
    assert (("rubric", "items", 1, "id"), "duplicate item id 'nome'") in found


def test_an_end_step_offering_choices_is_a_problem():
    definition = call_definition()
    step(definition, "fim")["choices"] = [{"id": "mais", "say": "Algo mais?", "next": "abertura"}]

    assert (
        ("steps", 4, "choices"),
        "an end step (with an outcome) offers no choices",
    ) in problems(definition)
