"""The certification section of the pack: a module file may say, under ``module.certification``,
how its certification policy differs from the default. This section reads those keys from the
curriculum's files (the curriculum section leaves them to it), validates them with file:line,
sets the policies on load, and writes them back on export."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from certification.models import MAX_CALLS_IN_A_ROW, MAX_VALIDITY_DAYS
from certification.services import certification_policies_apply, certification_policy_pack_values
from training.models import Module
from training.pack.loader import PackIndex, Report
from training.pack.source import PackError, SourceFile

Percent = Annotated[int, Field(strict=True, ge=0, le=100)]


class CertificationEntry(BaseModel):
    """The module's certification policy, where it differs from the default."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    validity_days: Annotated[int, Field(strict=True, ge=1, le=MAX_VALIDITY_DAYS)] = 365
    quiz_pass_mark: Percent | None = None
    call_pass_mark: Percent | None = None
    zero_critical_errors: bool = True
    recertify_on_major_version: bool = True
    calls_in_a_row: Annotated[int, Field(strict=True, ge=1, le=MAX_CALLS_IN_A_ROW)] = 1


class _Header(BaseModel):
    # Only the certification key is this section's business; the curriculum checks the rest.
    model_config = ConfigDict(extra="ignore", frozen=True)

    slug: str
    certification: CertificationEntry | None = None


class _ModuleFile(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    module: _Header


class CertificationSection:
    """Certification policies, stated in the module files."""

    name = "certification"
    folder = "modules"

    def __init__(self) -> None:
        self._settings: dict[str, dict[str, object] | None] = {}

    def validate(self, files: list[SourceFile], index: PackIndex) -> list[PackError]:
        errors: list[PackError] = []
        self._settings = {}
        for source in files:
            if not isinstance(source.data, dict) or not isinstance(source.data.get("module"), dict):
                continue  # the curriculum section reports the file's shape
            content, problems = source.validate(_ModuleFile)
            errors.extend(p for p in problems if p.path.startswith("module.certification"))
            if content is not None:
                policy = content.module.certification
                self._settings[content.module.slug] = (
                    policy.model_dump(exclude_unset=True) if policy else None
                )
        return errors

    def write(self, index: PackIndex, report: Report) -> None:
        if self._settings:
            certification_policies_apply(settings_by_module=self._settings)

    def export(self) -> dict[str, object]:
        files = {}
        for module in Module.objects.select_related("certification_policy").order_by("order"):
            policy = getattr(module, "certification_policy", None)
            if policy is not None and (values := certification_policy_pack_values(policy)):
                files[f"{module.order:02d}-{module.slug}.yaml"] = {
                    "module": {"certification": values}
                }
        return files
