"""The scenarios section of the content pack: file:line errors with nothing written, new
versions only when a call changes, retiring calls, the export round trip, the shipped calls and
the check_scenarios command."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from scenarios import services
from scenarios.checks import check_scenario
from scenarios.graph import Scenario as Graph
from scenarios.guessers import MAX_PASS_SHARE, call_figures, pooled
from scenarios.models import Run, Scenario, ScenarioVersion
from scenarios.pack import ScenarioFile
from scenarios.selectors import violation_codes
from tests.scenarios.calls import CODES, call_definition
from training.guessing import guessers
from training.models import Behavior, Module
from training.pack.loader import export_pack, load_pack
from training.pack.source import PackInvalid, dump_yaml
from training.selectors import manual_text

pytestmark = pytest.mark.django_db

# The quiz section has its own tests; these load the curriculum and the calls only.
SECTIONS = ["training.pack.curriculum.CurriculumSection", "scenarios.pack.ScenarioSection"]
only_calls = override_settings(CONTENT_SECTIONS=SECTIONS)

MODULE = {
    "module": {
        "slug": "promessa-pagamento",
        "title": "Promessa de pagamento",
        "summary": "Quem pode receber a promessa.",
        "order": 1,
    },
    "procedures": [
        {
            "slug": "promessa-teste",
            "title": "Promessa de pagamento",
            "guidance": "Verifique a aptidão.",
            "behaviors": [
                {
                    "code": code,
                    "label": label,
                    "kind": str(kind),
                    "manual": f"Trecho sobre {label.lower()}.",
                }
                for code, (label, kind) in CODES.items()
            ],
        }
    ],
}


def call_file(**changes):
    return {
        "slug": "promessa-teste",
        "module": "promessa-pagamento",
        "title": "Religue com promessa",
        "summary": "Confira a aptidão antes de registrar.",
        "procedures": ["promessa-teste"],
        **call_definition(),
        **changes,
    }


def write_pack(root: Path, *calls, raw: dict[str, str] | None = None) -> Path:
    (root / "modules").mkdir(parents=True, exist_ok=True)
    (root / "scenarios").mkdir(parents=True, exist_ok=True)
    (root / "modules" / "01-promessa.yaml").write_text(dump_yaml(MODULE), encoding="utf-8")
    for data in calls:
        path = root / "scenarios" / f"{data['slug']}.yaml"
        path.write_text(dump_yaml(data), encoding="utf-8")
    for name, text in (raw or {}).items():
        (root / "scenarios" / name).write_text(text, encoding="utf-8")
    return root


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def errors_of(root: Path) -> list[str]:
    with pytest.raises(PackInvalid) as caught:
        load_pack(root)
    return [str(e) for e in caught.value.errors]


@pytest.fixture
def pack(tmp_path):
    return tmp_path / "content"


# --- loading ------------------------------------------------------------------------------


@only_calls
def test_a_call_loads_as_a_scenario_with_its_first_version(pack):
    report = load_pack(write_pack(pack, call_file()))

    scenario = Scenario.objects.get(slug="promessa-teste")
    version = ScenarioVersion.objects.get(scenario=scenario)
    assert report.counts["scenarios"]["created"] == 1
    assert scenario.module.slug == "promessa-pagamento"
    assert [p.slug for p in scenario.procedures.all()] == ["promessa-teste"]
    assert (scenario.version, version.number) == (1, 1)
    assert version.definition["steps"][0]["id"] == "abertura"
    assert "slug" not in version.definition


@only_calls
def test_loading_the_same_pack_again_changes_nothing(pack):
    write_pack(pack, call_file())
    load_pack(pack)

    report = load_pack(pack)

    assert report.counts["scenarios"] == {"unchanged": 1}
    assert ScenarioVersion.objects.count() == 1
    assert Module.objects.get().version == 1


@only_calls
def test_a_changed_call_gets_a_new_version_and_old_runs_keep_theirs(pack, trainee):
    load_pack(write_pack(pack, call_file()))
    run = services.run_start(user=trainee, scenario=Scenario.objects.get())
    changed = call_file()
    changed["steps"][0]["customer"] = "Cortaram meu sinal hoje cedo."

    report = load_pack(write_pack(pack, changed))

    scenario = Scenario.objects.get()
    assert report.counts["scenarios"] == {"updated": 1}
    assert scenario.version == 2
    assert ScenarioVersion.objects.filter(scenario=scenario).count() == 2
    run.refresh_from_db()
    assert run.version.number == 1
    assert Module.objects.get().version == 2


@only_calls
def test_a_title_change_updates_the_call_without_a_new_version(pack):
    load_pack(write_pack(pack, call_file()))

    report = load_pack(write_pack(pack, call_file(title="Religue do sinal")))

    assert report.counts["scenarios"] == {"updated": 1}
    assert Scenario.objects.get().title == "Religue do sinal"
    assert ScenarioVersion.objects.count() == 1


@only_calls
def test_a_call_gone_from_the_pack_is_retired_when_played_and_deleted_when_not(pack, trainee):
    other = call_file(slug="outra-ligacao", title="Outra")
    load_pack(write_pack(pack, call_file(), other))
    services.run_start(user=trainee, scenario=Scenario.objects.get(slug="promessa-teste"))
    (pack / "scenarios" / "promessa-teste.yaml").unlink()
    (pack / "scenarios" / "outra-ligacao.yaml").unlink()
    write_pack(pack, call_file(slug="terceira", title="Terceira"))

    report = load_pack(pack)

    assert report.counts["scenarios"]["deleted"] == 2
    assert not Scenario.objects.get(slug="promessa-teste").is_active
    assert not Scenario.objects.filter(slug="outra-ligacao").exists()
    assert Run.objects.count() == 1


# --- errors -------------------------------------------------------------------------------


@only_calls
def test_an_unknown_key_is_reported_at_its_line_and_nothing_is_written(pack):
    data = call_file()
    data["steps"][1]["choices"][0]["sai"] = "typo"
    write_pack(pack, data)
    text = (pack / "scenarios" / "promessa-teste.yaml").read_text()

    errors = errors_of(pack)

    line = line_of(text, "sai: typo")
    assert (
        f"content/scenarios/promessa-teste.yaml:{line}: steps[1].choices[0].sai: unknown key"
        in errors
    )
    assert not Module.objects.exists()
    assert not Scenario.objects.exists()


@only_calls
def test_unknown_references_are_reported_at_their_lines(pack):
    data = call_file(module="modulo-inexistente", procedures=["nenhum"])
    data["steps"][0]["choices"][0]["behaviors"] = ["TESTE.NAO_EXISTE"]
    data["rubric"]["items"][0]["behavior"] = "TESTE.TAMBEM_NAO"
    write_pack(pack, data)
    text = (pack / "scenarios" / "promessa-teste.yaml").read_text()

    errors = errors_of(pack)

    name = "content/scenarios/promessa-teste.yaml"
    assert (
        f"{name}:{line_of(text, 'module:')}: module: unknown module 'modulo-inexistente'" in errors
    )
    assert (
        f"{name}:{line_of(text, '- nenhum')}: procedures[0]: unknown procedure 'nenhum'" in errors
    )
    assert (
        f"{name}:{line_of(text, '- TESTE.NAO_EXISTE')}: steps[0].choices[0].behaviors[0]: "
        "unknown behaviour 'TESTE.NAO_EXISTE'"
    ) in errors
    assert (
        f"{name}:{line_of(text, 'behavior: TESTE.TAMBEM_NAO')}: rubric.items[0].behavior: "
        "unknown behaviour 'TESTE.TAMBEM_NAO'"
    ) in errors
    assert not Scenario.objects.exists()


@only_calls
def test_a_broken_graph_blocks_the_load_with_the_line_of_the_choice(pack):
    data = call_file()
    data["steps"][1]["choices"][0]["next"] = "analize"
    write_pack(pack, data)
    text = (pack / "scenarios" / "promessa-teste.yaml").read_text()

    errors = errors_of(pack)

    line = line_of(text, "next: analize")
    assert (
        f"content/scenarios/promessa-teste.yaml:{line}: steps[1].choices[0].next: "
        "the choice leads nowhere: no step 'analize'"
    ) in errors
    assert not Scenario.objects.exists()


@only_calls
def test_a_violation_the_rubric_does_not_catch_blocks_a_reload(pack):
    load_pack(write_pack(pack, call_file()))
    data = call_file()
    data["rubric"]["items"] = [
        i for i in data["rubric"]["items"] if i["behavior"] != "TESTE.SEGUNDA"
    ]
    write_pack(pack, data)

    errors = errors_of(pack)

    assert any(
        "TESTE.SEGUNDA is a violation, but no critical or forbidden rubric item" in e
        for e in errors
    )
    assert ScenarioVersion.objects.count() == 1


@only_calls
def test_a_choice_that_performs_nothing_and_says_nothing_is_refused_at_its_line(pack):
    data = call_file()
    del data["steps"][3]["choices"][1]["neutral"]
    write_pack(pack, data)
    text = (pack / "scenarios" / "promessa-teste.yaml").read_text()

    errors = errors_of(pack)

    line = line_of(text, "id: repetir")
    assert any(
        e.startswith(f"content/scenarios/promessa-teste.yaml:{line}: steps[3].choices[1]:")
        and "says in neutral: why" in e
        for e in errors
    ), errors


@only_calls
def test_schema_rules_are_reported(pack):
    data = call_file(slug="checks")
    data["facts"][0] = {"name": "days_open", "kind": "int", "label": "Dias", "min": 1}
    data["rubric"]["items"][3] = {**data["rubric"]["items"][3], "before": None}
    del data["rubric"]["items"][3]["before"]
    data["rubric"]["items"][0]["section"] = "vendas"
    write_pack(pack, data)

    errors = "\n".join(errors_of(pack))

    assert "slug: 'checks' is the address of another page" in errors
    assert "the file must be named checks.yaml" not in errors  # named by its slug: fine
    assert "facts[0]: an int fact needs min and max" in errors
    assert "rubric.items[3]: an order item needs before" in errors
    assert (
        "rubric.items[0].section: 'vendas' is not one of compliance, resolution, rapport" in errors
    )


@only_calls
def test_a_file_must_be_named_after_its_slug(pack):
    write_pack(pack, raw={"errado.yaml": dump_yaml(call_file())})

    errors = errors_of(pack)

    assert (
        "content/scenarios/errado.yaml:1: slug: the file must be named promessa-teste.yaml"
        in errors
    )


@only_calls
def test_malformed_yaml_is_reported_with_its_line(pack):
    write_pack(pack, raw={"quebrado.yaml": "slug: x\nsteps: [\n"})

    errors = errors_of(pack)

    assert any(e.startswith("content/scenarios/quebrado.yaml:") for e in errors)


# --- export -------------------------------------------------------------------------------


@only_calls
def test_the_export_round_trips(pack, tmp_path):
    original = call_file(order=3)
    load_pack(write_pack(pack, original))

    written = export_pack(tmp_path / "exported")

    exported_path = tmp_path / "exported" / "scenarios" / "promessa-teste.yaml"
    assert exported_path in written
    exported = yaml.safe_load(exported_path.read_text(encoding="utf-8"))
    # The same call, written as an author would: defaults such as pass_mark 70 left out.
    assert ScenarioFile.model_validate(exported) == ScenarioFile.model_validate(original)
    assert "pass_mark" not in exported["rubric"]
    assert exported["order"] == 3
    report = load_pack(tmp_path / "exported")
    assert report.counts["scenarios"] == {"unchanged": 1}


# --- the shipped calls --------------------------------------------------------------------


@pytest.fixture
def shipped():
    if not any((settings.CONTENT_DIR / "scenarios").glob("*.yaml")):
        pytest.skip("no shipped calls yet")
    with only_calls:
        load_pack(settings.CONTENT_DIR)
    return settings.CONTENT_DIR


def test_every_shipped_call_passes_the_authoring_checks(shipped):
    violations = violation_codes()
    versions = ScenarioVersion.objects.select_related("scenario")

    assert versions.exists()
    for version in versions:
        report = check_scenario(version.definition, violations)
        assert report.ok, (version.scenario.slug, report.problems)


def test_guessers_fail_the_shipped_calls(shipped):
    """Bots that pick the first line shown, the longest, the shortest, the most polite, one
    without an absolute word, the one that sounds most like the manual, or any at random pass
    at most a fifth of the (call, fact case) pairs, and none of them passes most of the cases
    of any one call."""
    bots = guessers(manual_text())
    figures = {
        version.scenario.slug: call_figures(
            Graph.from_definition(version.definition), guessers=bots
        )
        for version in ScenarioVersion.objects.select_related("scenario")
    }

    overall = pooled(figures.values())

    assert all(share <= MAX_PASS_SHARE for share in overall.values()), overall
    easy = {slug: f.worst() for slug, f in figures.items() if f.worst()[1] > 0.5}
    assert not easy


def test_every_module_has_at_least_two_calls(shipped):
    thin = [m.slug for m in Module.objects.all() if m.scenarios.filter(is_active=True).count() < 2]

    assert not thin


def test_every_violation_is_a_trap_in_some_call(shipped):
    graphs = [
        Graph.from_definition(d)
        for d in ScenarioVersion.objects.values_list("definition", flat=True)
    ]
    performed = {
        code
        for graph in graphs
        for step in graph.steps
        for choice in step.choices
        for code in choice.behaviors
    }

    assert not violation_codes() - performed


# --- the command --------------------------------------------------------------------------


@only_calls
def test_check_scenarios_reports_every_call(pack):
    load_pack(write_pack(pack, call_file()))
    out = StringIO()

    call_command("check_scenarios", stdout=out)

    assert "ok    promessa-teste v1" in out.getvalue()


@only_calls
def test_check_scenarios_plays_the_guessers_and_fails_when_one_passes_too_often(pack):
    load_pack(write_pack(pack, call_file()))
    out = StringIO()

    # The test call is small: the first line shown passes about a third of its cases.
    with pytest.raises(CommandError, match="guessers pass more than 20%"):
        call_command("check_scenarios", "--guessers", stdout=out)
    assert "promessa-teste" in out.getvalue()
    assert "longest   0%" in out.getvalue()


@only_calls
def test_check_scenarios_fails_on_a_broken_call(pack):
    load_pack(write_pack(pack, call_file()))
    version = ScenarioVersion.objects.get()
    version.definition["steps"][1]["choices"][0]["next"] = "analize"
    version.save()
    out = StringIO()

    with pytest.raises(CommandError, match="1 of 1 call"):
        call_command("check_scenarios", stdout=out)
    assert "no step 'analize'" in out.getvalue()


@only_calls
def test_check_scenarios_checks_a_pack_with_file_and_line(pack):
    data = call_file()
    data["steps"][1]["choices"][0]["next"] = "analize"
    write_pack(pack, data)
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("check_scenarios", "--pack", str(pack), stderr=err)
    assert "content/scenarios/promessa-teste.yaml:" in err.getvalue()


@only_calls
def test_check_scenarios_reports_a_behaviour_deleted_since_the_load(pack):
    load_pack(write_pack(pack, call_file()))
    Behavior.objects.filter(code="TESTE.INFORMAR").delete()
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("check_scenarios", stdout=out)
    assert "unknown behaviour 'TESTE.INFORMAR'" in out.getvalue()
