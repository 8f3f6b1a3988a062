"""Named reads of the curriculum and teams, with their joins built in."""

from django.db.models import Count, Prefetch, Q, QuerySet

from training.models import Behavior, Module, Procedure, ProcedureRead, Team
from training.roles import ORGANISATION_SCOPE


def sees_every_team(user) -> bool:
    """Organisation-wide scope comes from a permission (or being a superuser), never from
    staff status alone."""
    return user.has_perm(ORGANISATION_SCOPE)


def teams_visible_to(user) -> QuerySet:
    """The teams a user may see the results of, with their member counts."""
    teams = Team.objects.all() if sees_every_team(user) else Team.objects.filter(managers=user)
    return teams.annotate(member_count=Count("members", distinct=True)).order_by("name")


def trainee_visible_to(user, trainee_id: int) -> bool:
    """Whether the user may see this trainee's results: the trainee is in a team they manage,
    or they see every team."""
    if sees_every_team(user):
        return True
    return Team.objects.filter(managers=user, members=trainee_id).exists()


def manual_text() -> str:
    """The manual's words as the curriculum quotes them, for the guesser who echoes them."""
    return "\n".join(Behavior.objects.order_by("pk").values_list("manual_quote", flat=True))


def modules_for_listing():
    return Module.objects.with_counts().order_by("order", "slug")


def _procedures_with_counts():
    """Procedures with how many behaviours of each kind they hold, counted in the database."""
    return Procedure.objects.annotate(
        behavior_count=Count("behaviors"),
        **{
            f"{kind}_count": Count("behaviors", filter=Q(behaviors__kind=kind))
            for kind in Behavior.Kind.values
        },
    ).order_by("order", "slug")


def module_with_procedures(slug: str) -> Module:
    """A module with its counts and its procedures in reading order, in two queries."""
    return (
        Module.objects.with_counts()
        .prefetch_related(Prefetch("procedures", queryset=_procedures_with_counts()))
        .get(slug=slug)
    )


def procedure_for_reading(module_slug: str, slug: str) -> Procedure:
    """A procedure of the given module with its module and its behaviours in the manual's order."""
    return (
        Procedure.objects.select_related("module")
        .prefetch_related(
            Prefetch("behaviors", queryset=Behavior.objects.order_by("order", "code"))
        )
        .get(module__slug=module_slug, slug=slug)
    )


def procedure_neighbours(procedure: Procedure) -> tuple[Procedure | None, Procedure | None]:
    """The procedures before and after this one in its module, for reading them in turn."""
    siblings = list(
        Procedure.objects.filter(module_id=procedure.module_id)
        .order_by("order", "slug")
        .only("slug", "title")
    )
    at = next(i for i, p in enumerate(siblings) if p.pk == procedure.pk)
    before = siblings[at - 1] if at > 0 else None
    after = siblings[at + 1] if at + 1 < len(siblings) else None
    return before, after


def procedure_is_read(*, user, procedure) -> bool:
    return ProcedureRead.objects.filter(trainee=user, procedure=procedure).exists()
