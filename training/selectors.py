"""Named reads of the curriculum and teams, with their joins built in."""

from django.db.models import Prefetch

from training.models import Behavior, Module, Procedure, Team


def modules_for_listing():
    return Module.objects.with_counts().order_by("order", "slug")


def module_with_procedures(slug: str) -> Module:
    procedures = Procedure.objects.order_by("order", "slug").prefetch_related("behaviors")
    return Module.objects.prefetch_related(Prefetch("procedures", queryset=procedures)).get(
        slug=slug
    )


def procedure_for_reading(module_slug: str, slug: str) -> Procedure:
    return (
        Procedure.objects.select_related("module")
        .prefetch_related(
            Prefetch("behaviors", queryset=Behavior.objects.order_by("order", "code"))
        )
        .get(module__slug=module_slug, slug=slug)
    )


def teams_managed_by(user):
    teams = Team.objects.all() if user.is_staff else Team.objects.filter(managers=user)
    return teams.prefetch_related("members").order_by("name")
