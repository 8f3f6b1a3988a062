"""The curriculum section of the content pack: validation with file:line messages, all-or-nothing
loads, idempotence, versions, dry runs, deletes and the export round trip."""

import time
from io import StringIO
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BehaviorFactory
from training.models import Behavior, Module, Procedure
from training.pack.loader import export_pack, load_pack

pytestmark = pytest.mark.django_db

ATENDIMENTO = """\
module:
  slug: atendimento
  title: Relacionamento com o cliente
  summary: Como tratar o cliente do início ao fim da ligação.
  order: 1
procedures:
  - slug: personalizacao
    title: Personalização do atendimento
    guidance: |
      Chame o cliente **pelo nome** durante toda a ligação.
    behaviors:
      - code: ATENDIMENTO.CHAMAR_PELO_NOME
        label: Chamar o cliente pelo nome
        kind: rapport
        manual: "Chame o cliente pelo nome."
      - code: ATENDIMENTO.INTERROMPER_CLIENTE
        label: Interromper o cliente
        kind: violation
        description: Deixe o cliente terminar de falar.
        manual: "Nunca interrompa o cliente."
  - slug: sondagem
    title: Sondagem
    guidance: |
      Pergunte o motivo do contato.
    behaviors:
      - code: ATENDIMENTO.PERGUNTAR_MOTIVO
        label: Perguntar o motivo do contato
        kind: probe
        manual: "Pergunte ao cliente o motivo do contato."
"""

PROMESSA = """\
module:
  slug: promessa-pagamento
  title: Promessa de pagamento
  summary: Quem pode receber a promessa e como registrá-la.
  order: 2
procedures:
  - slug: promessa-elegibilidade
    title: Quem pode receber a promessa de pagamento
    guidance: |
      Verifique se o cliente está apto.
    behaviors:
      - code: PROMESSA.VERIFICAR_APTIDAO
        label: Verificar se o cliente está apto à promessa de pagamento
        kind: action
        manual: "Verifique se o cliente está apto."
      - code: PROMESSA.INFORMAR_CUSTO
        label: Informar que a promessa não tem custo
        kind: disclosure
        manual: "A promessa não tem custo."
"""

VALID = {"01-atendimento.yaml": ATENDIMENTO, "02-promessa-pagamento.yaml": PROMESSA}


@pytest.fixture(autouse=True)
def only_the_curriculum(settings):
    # These packs hold modules only; other sections are covered by their own tests and by the
    # shipped pack's test.
    settings.CONTENT_SECTIONS = ["training.pack.curriculum.CurriculumSection"]


def make_pack(root: Path, files: dict[str, str]) -> Path:
    """A pack folder named "content", so messages read content/modules/<file>."""
    folder = root / "content" / "modules"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    for name, text in files.items():
        (folder / name).write_text(dedent(text), encoding="utf-8")
    return root / "content"


def snapshot():
    """Every curriculum row, every field: two equal snapshots mean an untouched database."""
    return (
        list(Module.objects.order_by("pk").values()),
        list(Procedure.objects.order_by("pk").values()),
        list(Behavior.objects.order_by("pk").values()),
    )


def load(root: Path, *args) -> str:
    out = StringIO()
    call_command("load_curriculum", str(root), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def loaded(tmp_path):
    """The valid pack, loaded once: bad packs must leave this exactly as it is."""
    load(make_pack(tmp_path / "first", VALID))
    return snapshot()


def assert_rejected(tmp_path, files: dict[str, str], expected: list[str]) -> None:
    before = snapshot()
    err = StringIO()
    root = make_pack(tmp_path / "bad", files)
    with pytest.raises(CommandError) as exc:
        call_command("load_curriculum", str(root), stdout=StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "nothing was written" in str(exc.value)
    assert err.getvalue().splitlines() == expected
    assert snapshot() == before


# --- bad packs ------------------------------------------------------------------------------


def test_malformed_yaml_is_reported_with_its_line_and_nothing_is_written(tmp_path, loaded):
    broken = "module:\n  slug: atendimento\n  title: [sem fechar\n  order: 1\n"
    assert_rejected(
        tmp_path,
        {"01-atendimento.yaml": broken},
        ["content/modules/01-atendimento.yaml:4: malformed YAML: did not find expected ',' or ']'"],
    )


def test_a_number_where_text_is_expected_is_a_wrong_type(tmp_path, loaded):
    bad = ATENDIMENTO.replace("title: Sondagem", "title: 42")
    assert_rejected(
        tmp_path,
        {**VALID, "01-atendimento.yaml": bad},
        [
            "content/modules/01-atendimento.yaml:22: procedures[1].title: "
            "input should be a valid string, got 42"
        ],
    )


def test_text_where_a_number_is_expected_is_a_wrong_type(tmp_path, loaded):
    bad = PROMESSA.replace("order: 2", 'order: "2"')
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": bad},
        [
            "content/modules/02-promessa-pagamento.yaml:5: module.order: "
            "input should be a valid integer, got '2'"
        ],
    )


def test_an_unknown_kind_names_the_allowed_ones(tmp_path, loaded):
    bad = PROMESSA.replace("kind: disclosure", "kind: disclousure")
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": bad},
        [
            "content/modules/02-promessa-pagamento.yaml:18: procedures[0].behaviors[1].kind: "
            "'disclousure' is not one of disclosure, probe, action, rapport, violation"
        ],
    )


def test_an_unknown_key_is_an_error_with_a_suggestion(tmp_path, loaded):
    bad = PROMESSA.replace("label: Informar", "lable: Informar")
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": bad},
        [
            "content/modules/02-promessa-pagamento.yaml:17: procedures[0].behaviors[1].lable: "
            "unknown key, did you mean 'label'?",
        ],
    )


def test_an_unknown_key_without_a_close_match_lists_the_allowed_keys(tmp_path, loaded):
    bad = PROMESSA.replace("  order: 2\n", "  order: 2\n  autor: Tânia\n")
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": bad},
        [
            "content/modules/02-promessa-pagamento.yaml:6: module.autor: "
            "unknown key, allowed: slug, title, summary, order, certification"
        ],
    )


def test_a_missing_required_key_is_named(tmp_path, loaded):
    bad = ATENDIMENTO.replace('        manual: "Pergunte ao cliente o motivo do contato."\n', "")
    assert_rejected(
        tmp_path,
        {**VALID, "01-atendimento.yaml": bad},
        [
            "content/modules/01-atendimento.yaml:26: procedures[1].behaviors[0].manual: "
            "required key is missing"
        ],
    )


def test_a_misspelt_top_level_key_is_reported_once(tmp_path, loaded):
    bad = PROMESSA.replace("procedures:", "procedure:")
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": bad},
        [
            "content/modules/02-promessa-pagamento.yaml:6: procedure: "
            "unknown key, did you mean 'procedures'?"
        ],
    )


def test_a_duplicate_behaviour_code_in_a_second_file_names_both_places(tmp_path, loaded):
    # The first file is new and valid: it must not be written either (all or nothing).
    new_module = ATENDIMENTO.replace("slug: atendimento", "slug: novo").replace(
        "slug: personalizacao", "slug: outra"
    )
    new_module = new_module.replace("slug: sondagem", "slug: mais-uma").replace(
        "ATENDIMENTO.", "NOVO."
    )
    clash = PROMESSA.replace("PROMESSA.INFORMAR_CUSTO", "NOVO.CHAMAR_PELO_NOME")
    assert_rejected(
        tmp_path,
        {"01-novo.yaml": new_module, "02-promessa-pagamento.yaml": clash},
        [
            "content/modules/02-promessa-pagamento.yaml:16: procedures[0].behaviors[1].code: "
            "duplicate behaviour code 'NOVO.CHAMAR_PELO_NOME', "
            "also at content/modules/01-novo.yaml:12"
        ],
    )
    assert not Module.objects.filter(slug="novo").exists()


def test_a_duplicate_procedure_slug_across_files_is_an_error(tmp_path, loaded):
    clash = PROMESSA.replace("slug: promessa-elegibilidade", "slug: sondagem")
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": clash},
        [
            "content/modules/02-promessa-pagamento.yaml:7: procedures[0].slug: "
            "duplicate procedure slug 'sondagem', also at content/modules/01-atendimento.yaml:21"
        ],
    )


def test_a_duplicate_module_slug_is_an_error(tmp_path, loaded):
    clash = PROMESSA.replace("slug: promessa-pagamento", "slug: atendimento")
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": clash},
        [
            "content/modules/02-promessa-pagamento.yaml:2: module.slug: "
            "duplicate module slug 'atendimento', also at content/modules/01-atendimento.yaml:2"
        ],
    )


def test_a_duplicate_key_in_one_mapping_is_an_error(tmp_path, loaded):
    bad = PROMESSA.replace("  order: 2\n", "  order: 2\n  order: 3\n")
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": bad},
        ["content/modules/02-promessa-pagamento.yaml:6: module.order: duplicate key"],
    )


def test_a_module_without_procedures_and_a_procedure_without_behaviours_are_errors(
    tmp_path, loaded
):
    empty_module = PROMESSA.split("procedures:")[0] + "procedures: []\n"
    empty_procedure = ATENDIMENTO.split("    behaviors:\n      - code: ATENDIMENTO.PERGUNTAR")[0]
    empty_procedure += "    behaviors: []\n"
    assert_rejected(
        tmp_path,
        {"01-atendimento.yaml": empty_procedure, "02-promessa-pagamento.yaml": empty_module},
        [
            "content/modules/01-atendimento.yaml:25: procedures[1].behaviors: "
            "a procedure needs at least one behaviour",
            "content/modules/02-promessa-pagamento.yaml:6: procedures: "
            "a module needs at least one procedure",
        ],
    )


def test_slugs_and_codes_must_have_their_documented_form(tmp_path, loaded):
    bad = PROMESSA.replace("slug: promessa-elegibilidade", "slug: Promessa_Elegibilidade")
    bad = bad.replace("PROMESSA.INFORMAR_CUSTO", "promessa.informar-custo")
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": bad},
        [
            "content/modules/02-promessa-pagamento.yaml:7: procedures[0].slug: "
            "'Promessa_Elegibilidade' is not a valid slug: "
            "use lowercase letters a-z, digits and hyphens",
            "content/modules/02-promessa-pagamento.yaml:16: procedures[0].behaviors[1].code: "
            "'promessa.informar-custo' is not a valid code: "
            "use UPPER_CASE words joined by dots, e.g. PROMESSA.VERIFICAR_APTIDAO",
        ],
    )


def test_empty_text_is_an_error(tmp_path, loaded):
    bad = PROMESSA.replace('manual: "A promessa não tem custo."', 'manual: "  "')
    assert_rejected(
        tmp_path,
        {**VALID, "02-promessa-pagamento.yaml": bad},
        [
            "content/modules/02-promessa-pagamento.yaml:19: procedures[0].behaviors[1].manual: "
            "must not be empty"
        ],
    )


def test_a_file_that_is_not_a_mapping_is_an_error(tmp_path, loaded):
    assert_rejected(
        tmp_path,
        {**VALID, "03-vazio.yaml": "- só uma lista\n"},
        [
            "content/modules/03-vazio.yaml:1: "
            "a module file must be a mapping with module and procedures"
        ],
    )


def test_every_problem_of_every_file_is_reported_at_once(tmp_path, loaded):
    first = ATENDIMENTO.replace("kind: probe", "kind: pergunta")
    second = PROMESSA.replace("order: 2", "order: -2")
    assert_rejected(
        tmp_path,
        {"01-atendimento.yaml": first, "02-promessa-pagamento.yaml": second},
        [
            "content/modules/01-atendimento.yaml:28: procedures[1].behaviors[0].kind: "
            "'pergunta' is not one of disclosure, probe, action, rapport, violation",
            "content/modules/02-promessa-pagamento.yaml:5: module.order: "
            "Input should be greater than or equal to 0",
        ],
    )


def test_a_missing_pack_folder_is_an_error(tmp_path, loaded):
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_curriculum", str(tmp_path / "nope"), stdout=StringIO(), stderr=err)
    assert err.getvalue() == f"{tmp_path / 'nope'}:1: no such pack folder\n"
    assert snapshot() == before


# --- loading --------------------------------------------------------------------------------


def test_a_new_pack_is_created_in_the_order_of_its_files(tmp_path):
    output = load(make_pack(tmp_path, VALID))

    assert output.splitlines()[:3] == [
        "modules: 2 created, 0 updated, 0 unchanged",
        "procedures: 3 created, 0 updated, 0 unchanged",
        "behaviors: 5 created, 0 updated, 0 unchanged",
    ]
    module = Module.objects.get(slug="atendimento")
    assert (module.title, module.order, module.version) == ("Relacionamento com o cliente", 1, 1)
    assert module.content_hash
    assert list(module.procedures.order_by("order").values_list("slug", "order")) == [
        ("personalizacao", 1),
        ("sondagem", 2),
    ]
    never = Behavior.objects.get(code="ATENDIMENTO.INTERROMPER_CLIENTE")
    assert never.is_violation
    assert never.order == 2
    assert never.procedure.slug == "personalizacao"
    assert never.description == "Deixe o cliente terminar de falar."
    assert never.manual_quote == "Nunca interrompa o cliente."
    named = Behavior.objects.get(code="ATENDIMENTO.CHAMAR_PELO_NOME")
    assert (named.is_violation, named.description, named.kind) == (False, "", "rapport")
    guidance = Procedure.objects.get(slug="personalizacao").guidance
    assert guidance == "Chame o cliente **pelo nome** durante toda a ligação.\n"


def test_a_second_load_of_the_same_pack_changes_nothing(tmp_path):
    root = make_pack(tmp_path, VALID)
    load(root)
    before = snapshot()

    output = load(root)

    assert output.splitlines()[:3] == [
        "modules: 0 created, 0 updated, 2 unchanged",
        "procedures: 0 created, 0 updated, 3 unchanged",
        "behaviors: 0 created, 0 updated, 5 unchanged",
    ]
    assert snapshot() == before
    assert set(Module.objects.values_list("version", flat=True)) == {1}


def test_writing_a_default_explicitly_is_not_a_change(tmp_path):
    root = make_pack(tmp_path, VALID)
    load(root)
    explicit = PROMESSA.replace(
        "        kind: action\n", "        kind: action\n        interpretation: ''\n"
    )
    make_pack(tmp_path, {**VALID, "02-promessa-pagamento.yaml": explicit})

    report = load_pack(root)

    assert report.total("updated") == 0
    assert Module.objects.get(slug="promessa-pagamento").version == 1


def test_a_text_edit_updates_that_text_and_bumps_only_its_module(tmp_path):
    root = make_pack(tmp_path, VALID)
    load(root)
    edited = PROMESSA.replace('não tem custo."', 'não tem custo nenhum."')
    make_pack(tmp_path, {**VALID, "02-promessa-pagamento.yaml": edited})

    output = load(root)

    assert output.splitlines()[:3] == [
        "modules: 0 created, 1 updated, 1 unchanged",
        "procedures: 0 created, 0 updated, 3 unchanged",
        "behaviors: 0 created, 1 updated, 4 unchanged",
    ]
    behavior = Behavior.objects.get(code="PROMESSA.INFORMAR_CUSTO")
    assert behavior.manual_quote == "A promessa não tem custo nenhum."
    versions = dict(Module.objects.values_list("slug", "version"))
    assert versions == {"atendimento": 1, "promessa-pagamento": 2}


def test_rows_are_matched_by_slug_and_code_so_ids_survive_a_move(tmp_path):
    root = make_pack(tmp_path, VALID)
    load(root)
    moved_id = Behavior.objects.get(code="ATENDIMENTO.PERGUNTAR_MOTIVO").pk
    # The probe moves to the end of the first procedure; the second gets a new behaviour.
    probe = """\
      - code: ATENDIMENTO.PERGUNTAR_MOTIVO
        label: Perguntar o motivo do contato
        kind: probe
        manual: "Pergunte ao cliente o motivo do contato."
"""
    listen = """\
      - code: ATENDIMENTO.OUVIR
        label: Ouvir o cliente
        kind: rapport
        manual: "Ouça o cliente."
"""
    quote = '        manual: "Nunca interrompa o cliente."\n'
    moved = ATENDIMENTO.replace(probe, listen).replace(quote, quote + probe)
    make_pack(tmp_path, {**VALID, "01-atendimento.yaml": moved})

    load(root)

    behavior = Behavior.objects.get(code="ATENDIMENTO.PERGUNTAR_MOTIVO")
    assert behavior.pk == moved_id
    assert (behavior.procedure.slug, behavior.order) == ("personalizacao", 3)
    assert Behavior.objects.get(code="ATENDIMENTO.OUVIR").procedure.slug == "sondagem"
    assert Module.objects.get(slug="atendimento").version == 2


def test_what_the_pack_no_longer_has_is_deleted_and_reported(tmp_path):
    root = make_pack(tmp_path, VALID)
    load(root)
    shorter = ATENDIMENTO.split("  - slug: sondagem")[0]
    make_pack(tmp_path, {"01-atendimento.yaml": shorter})

    output = load(root)

    assert output.splitlines()[:3] == [
        "modules: 0 created, 1 updated, 0 unchanged, 1 deleted",
        "procedures: 0 created, 0 updated, 1 unchanged, 2 deleted",
        "behaviors: 0 created, 0 updated, 2 unchanged, 3 deleted",
    ]
    assert list(Module.objects.values_list("slug", "version")) == [("atendimento", 2)]
    assert list(Procedure.objects.values_list("slug", flat=True)) == ["personalizacao"]


def test_a_pack_without_module_files_leaves_the_curriculum_alone(tmp_path):
    load(make_pack(tmp_path / "full", VALID))
    before = snapshot()

    output = load(make_pack(tmp_path / "empty", {}))

    assert output.splitlines()[0] == "nothing to load"
    assert snapshot() == before


def test_an_edit_made_outside_the_pack_is_put_back_and_bumps_the_version(tmp_path):
    root = make_pack(tmp_path, VALID)
    load(root)
    Behavior.objects.filter(code="PROMESSA.INFORMAR_CUSTO").update(label="Editado no admin")
    BehaviorFactory(procedure=Procedure.objects.get(slug="sondagem"), code="ADMIN.EXTRA")

    report = load_pack(root)

    assert report.counts["behaviors"]["updated"] == 1
    assert report.counts["behaviors"]["deleted"] == 1
    assert Behavior.objects.get(code="PROMESSA.INFORMAR_CUSTO").label.startswith("Informar")
    assert dict(Module.objects.values_list("slug", "version")) == {
        "atendimento": 2,
        "promessa-pagamento": 2,
    }


def test_a_dry_run_reports_the_changes_but_writes_nothing(tmp_path):
    root = make_pack(tmp_path, VALID)
    before = snapshot()

    output = load(root, "--dry-run")

    assert output.splitlines() == [
        "modules: 2 created, 0 updated, 0 unchanged",
        "procedures: 3 created, 0 updated, 0 unchanged",
        "behaviors: 5 created, 0 updated, 0 unchanged",
        "dry run: nothing was written",
    ]
    assert snapshot() == before


def test_a_dry_run_of_an_edit_leaves_the_old_text_and_version(tmp_path):
    root = make_pack(tmp_path, VALID)
    load(root)
    before = snapshot()
    make_pack(tmp_path, {**VALID, "02-promessa-pagamento.yaml": PROMESSA.replace("2\n", "3\n")})

    load(root, "--dry-run")

    assert snapshot() == before


def test_the_load_reads_each_table_once_whatever_the_size_of_the_pack(tmp_path):
    def queries_for(modules: int) -> int:
        root = make_pack(tmp_path / f"pack{modules}", generated_pack(modules, 3, 4))
        Module.objects.all().delete()
        with CaptureQueriesContext(connection) as first:
            load_pack(root)
        return len(first)

    assert queries_for(2) == queries_for(6)


def test_a_manual_sized_pack_loads_well_under_a_second(tmp_path):
    root = make_pack(tmp_path, generated_pack(12, 5, 5))
    started = time.perf_counter()
    report = load_pack(root)
    elapsed = time.perf_counter() - started

    assert report.counts["behaviors"]["created"] == 300
    assert elapsed < 1.0


def generated_pack(modules: int, procedures: int, behaviors: int) -> dict[str, str]:
    files = {}
    for m in range(1, modules + 1):
        module = {
            "module": {"slug": f"m{m}", "title": f"Módulo {m}", "summary": "Resumo.", "order": m},
            "procedures": [
                {
                    "slug": f"m{m}-p{p}",
                    "title": f"Procedimento {p}",
                    "guidance": "Texto do manual.\n",
                    "behaviors": [
                        {
                            "code": f"M{m}.P{p}_B{b}",
                            "label": f"Comportamento {b}",
                            "kind": "action",
                            "manual": "Palavras do manual.",
                        }
                        for b in range(1, behaviors + 1)
                    ],
                }
                for p in range(1, procedures + 1)
            ],
        }
        files[f"{m:02d}-m{m}.yaml"] = yaml.safe_dump(module, allow_unicode=True, sort_keys=False)
    return files


# --- export ---------------------------------------------------------------------------------


def test_export_writes_each_module_as_its_author_would(tmp_path):
    load(make_pack(tmp_path / "source", VALID))
    out = StringIO()

    call_command("export_curriculum", str(tmp_path / "export"), stdout=out, stderr=StringIO())

    exported = tmp_path / "export" / "modules"
    assert sorted(p.name for p in exported.glob("*.yaml")) == sorted(VALID)
    for name, text in VALID.items():
        assert yaml.safe_load((exported / name).read_text(encoding="utf-8")) == yaml.safe_load(text)
    assert "exported 2 files" in out.getvalue()


def test_export_then_load_leaves_the_database_identical(tmp_path):
    load(make_pack(tmp_path / "source", VALID))
    before = snapshot()
    export_pack(tmp_path / "export")

    report = load_pack(tmp_path / "export")

    assert report.total("created") == report.total("updated") == report.total("deleted") == 0
    assert snapshot() == before


def test_exporting_twice_writes_identical_files(tmp_path):
    load(make_pack(tmp_path / "source", VALID))
    first = {p.name: p.read_bytes() for p in export_pack(tmp_path / "one")}
    second = {p.name: p.read_bytes() for p in export_pack(tmp_path / "two")}
    assert first == second


def test_export_names_files_left_from_an_earlier_export(tmp_path):
    load(make_pack(tmp_path / "source", VALID))
    stale = tmp_path / "export" / "modules" / "09-antigo.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("module: {}\n", encoding="utf-8")
    err = StringIO()

    call_command("export_curriculum", str(tmp_path / "export"), stdout=StringIO(), stderr=err)

    assert f"{stale}: not part of this export" in err.getvalue()


# --- the guide ------------------------------------------------------------------------------


def test_the_complete_example_in_the_guide_loads(tmp_path, settings):
    guide = (settings.BASE_DIR / "content" / "README.md").read_text(encoding="utf-8")
    example = guide.split("### A complete module file")[1].split("```yaml\n")[1].split("```")[0]

    report = load_pack(make_pack(tmp_path, {"11-promessa-pagamento.yaml": example}))

    assert report.counts["behaviors"]["created"] == 3
    never = Behavior.objects.get(code="PROMESSA.REGISTRAR_SEM_APTIDAO")
    assert never.is_violation


def test_a_behaviour_with_graded_results_cannot_be_dropped_by_a_load(tmp_path, loaded):
    from tests.factories import QuizJudgementFactory
    from training.models import Judgement

    outcome = QuizJudgementFactory(behavior=Behavior.objects.get(code="PROMESSA.INFORMAR_CUSTO"))
    without_it = PROMESSA.replace(
        """      - code: PROMESSA.INFORMAR_CUSTO
        label: Informar que a promessa não tem custo
        kind: disclosure
        manual: "A promessa não tem custo."
""",
        "",
    )
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was written"):
        load(make_pack(tmp_path / "dropped", {**VALID, "02-promessa-pagamento.yaml": without_it}))
    assert snapshot() == before
    assert Judgement.objects.filter(pk=outcome.pk).exists()
