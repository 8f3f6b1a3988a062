"""Who a manager may see: the members of the teams they manage, all of them or one team, and
with organisation-wide scope everyone. Reports restrict every query with a scope, through a
subquery of member ids, never a Python list of thousands of ids."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from training.models import Team
from training.selectors import sees_every_team, teams_visible_to

User = get_user_model()


@dataclass
class Scope:
    """The trainees a manager may see: members of the teams they manage, all of them or one;
    with organisation-wide scope, everyone."""

    teams: list[Team]
    team: Team | None = None
    everyone: bool = False

    @property
    def team_ids(self) -> list[int]:
        return [self.team.pk] if self.team else [t.pk for t in self.teams]

    def member_ids(self) -> QuerySet:
        """A subquery of the user ids in scope; never a Python list of thousands of ids."""
        memberships = Team.members.through.objects.all()
        if not (self.everyone and self.team is None):
            memberships = memberships.filter(team_id__in=self.team_ids)
        return memberships.values("user_id")

    @property
    def covers_everyone(self) -> bool:
        """Organisation-wide: figures come from the reporting rollups."""
        return self.everyone and self.team is None

    def restrict(self, queryset: QuerySet, field: str = "user") -> QuerySet:
        if self.covers_everyone:
            return queryset
        return queryset.filter(**{f"{field}_id__in": self.member_ids()})


def scope_for(user, team_id: int | None = None) -> Scope | None:
    """The user's scope, narrowed to one team if asked; None when that team is not theirs."""
    teams = list(teams_visible_to(user))
    team = None
    if team_id is not None:
        team = next((t for t in teams if t.pk == team_id), None)
        if team is None:
            return None
    return Scope(teams=teams, team=team, everyone=sees_every_team(user))


def trainees_in(scope: Scope) -> QuerySet:
    return User.objects.filter(pk__in=scope.member_ids()).order_by(
        "last_name", "first_name", "username"
    )
