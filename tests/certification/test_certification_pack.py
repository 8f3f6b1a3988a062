"""Certification policies in the content pack: an optional ``certification`` key per module sets
the policy on load, modules without it get the default, and export writes back what differs."""

from pathlib import Path

import pytest
import yaml

from certification.models import CertificationPolicy
from training.models import Module
from training.pack.loader import export_pack, load_pack

pytestmark = pytest.mark.django_db

MODULE = """\
module:
  slug: {slug}
  title: Módulo {slug}
  summary: Um módulo de teste.
  order: {order}
{certification}procedures:
  - slug: {slug}-procedimento
    title: Procedimento
    guidance: Informe o prazo.
    behaviors:
      - code: {code}.INFORMAR_PRAZO
        label: Informar o prazo
        kind: disclosure
        manual: "Informe o prazo."
"""


def write_pack(root: Path, certification: str = "") -> Path:
    folder = root / "modules"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "01-com-regra.yaml").write_text(
        MODULE.format(slug="com-regra", order=1, code="COM_REGRA", certification=certification),
        encoding="utf-8",
    )
    (folder / "02-sem-regra.yaml").write_text(
        MODULE.format(slug="sem-regra", order=2, code="SEM_REGRA", certification=""),
        encoding="utf-8",
    )
    return root


RULE = "  certification:\n    validity_days: 180\n    quiz_pass_mark: 85\n"


def test_the_pack_sets_the_policy_it_states_and_defaults_the_rest(tmp_path):
    load_pack(write_pack(tmp_path, RULE))
    stated = CertificationPolicy.objects.get(module__slug="com-regra")
    assert (stated.validity_days, stated.quiz_pass_mark, stated.call_pass_mark) == (180, 85, None)
    default = CertificationPolicy.objects.get(module__slug="sem-regra")
    assert (default.validity_days, default.quiz_pass_mark) == (365, None)


def test_policy_settings_do_not_count_as_a_content_change(tmp_path):
    load_pack(write_pack(tmp_path / "a"))
    load_pack(write_pack(tmp_path / "b", RULE))
    assert Module.objects.get(slug="com-regra").version == 1
    assert CertificationPolicy.objects.get(module__slug="com-regra").validity_days == 180


def test_a_pack_without_the_key_keeps_what_an_administrator_set(tmp_path):
    load_pack(write_pack(tmp_path))
    CertificationPolicy.objects.filter(module__slug="sem-regra").update(validity_days=90)
    load_pack(write_pack(tmp_path))
    assert CertificationPolicy.objects.get(module__slug="sem-regra").validity_days == 90


def test_export_writes_back_only_what_differs_from_the_default(tmp_path):
    load_pack(write_pack(tmp_path / "in", RULE))
    export_pack(tmp_path / "out")
    stated = yaml.safe_load((tmp_path / "out/modules/01-com-regra.yaml").read_text("utf-8"))
    default = yaml.safe_load((tmp_path / "out/modules/02-sem-regra.yaml").read_text("utf-8"))
    assert stated["module"]["certification"] == {"validity_days": 180, "quiz_pass_mark": 85}
    assert "certification" not in default["module"]


def test_an_impossible_policy_is_refused_with_its_place(tmp_path):
    from training.pack.source import PackInvalid

    bad = "  certification:\n    validity_days: 0\n"
    with pytest.raises(PackInvalid) as error:
        load_pack(write_pack(tmp_path, bad))
    assert "validity_days" in str(error.value)
