"""The pack shipped in content/: it loads cleanly with every section registered, it holds a
procedure for every module and a behaviour for every procedure, and it survives a round trip."""

import pytest
import yaml
from django.conf import settings

from training.models import Behavior, Module, Procedure
from training.pack.loader import export_pack, load_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    if not any((settings.CONTENT_DIR / "modules").glob("*.yaml")):
        pytest.skip(f"no module files in {settings.CONTENT_DIR / 'modules'} yet")
    return settings.CONTENT_DIR


def test_the_shipped_pack_loads_cleanly(shipped):
    # Its speed is measured by benchmarks/pack_load.py, not asserted here.
    report = load_pack(shipped)

    assert report.counts["modules"]["created"] == Module.objects.count() > 0


def test_every_shipped_module_has_procedures_and_every_procedure_has_behaviours(shipped):
    load_pack(shipped)

    assert not Module.objects.filter(procedures=None).exists()
    assert not Procedure.objects.filter(behaviors=None).exists()
    assert not Behavior.objects.filter(manual_quote="").exists()


def test_the_shipped_pack_loads_twice_without_a_change(shipped):
    load_pack(shipped)
    report = load_pack(shipped)

    assert report.total("created") == report.total("updated") == report.total("deleted") == 0
    assert set(Module.objects.values_list("version", flat=True)) == {1}


def test_the_shipped_curriculum_exports_to_the_same_data(shipped, tmp_path):
    load_pack(shipped)
    written = export_pack(tmp_path / "content")

    exported = [read(p) for p in written if p.parent.name == "modules"]
    by_slug = {data["module"]["slug"]: data for data in exported}
    originals = [read(p) for p in sorted((shipped / "modules").glob("*.yaml"))]
    assert len(exported) == len(originals)
    for data in originals:
        slug = data["module"]["slug"]
        assert without_defaults(by_slug[slug]) == without_defaults(data), slug


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def without_defaults(data):
    """Module data as the loader reads it: empty descriptions and interpretations are the
    defaults an author may or may not write."""
    for procedure in data["procedures"]:
        for behavior in procedure["behaviors"]:
            for key in ("description", "interpretation"):
                if behavior.get(key) == "":
                    del behavior[key]
    return data
