"""Single sign-on with the company's OpenID Connect provider (mozilla-django-oidc), off unless
``OIDC_ENABLED``. The first login creates the person; every login sets their name, e-mail, role
and team from the provider's claims by one documented rule (README, "Single sign-on"): the
``OIDC_ROLE_CLAIM`` claim (a list of groups) is mapped to roles by ``OIDC_ROLE_MAP``, and the
``OIDC_TEAM_CLAIM`` claim names their team. Local passwords keep working beside it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from training.models import Team
from training.roles import Role


def role_map() -> dict[str, Role]:
    """``OIDC_ROLE_MAP`` ("group=role,group=role") as {group: Role}."""
    roles = {r.value.lower(): r for r in Role}
    found = {}
    for pair in settings.OIDC_ROLE_MAP.split(","):
        group, _sep, role = pair.partition("=")
        if group.strip() and role.strip().lower() in roles:
            found[group.strip()] = roles[role.strip().lower()]
    return found


class TrilhaOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        username = self._username(claims)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username)

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            username=self._username(claims), email=claims.get("email", "")
        )
        user.set_unusable_password()  # they sign in through the provider
        user.save(update_fields=["password"])
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        user.first_name = str(claims.get("given_name", user.first_name))[:150]
        user.last_name = str(claims.get("family_name", user.last_name))[:150]
        user.email = str(claims.get("email", user.email))[:254]
        user.save(update_fields=["first_name", "last_name", "email"])
        groups = claims.get(settings.OIDC_ROLE_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        roles = {role for group, role in role_map().items() if group in groups}
        role_groups = Group.objects.filter(name__in=[r.value for r in Role])
        user.groups.remove(*[g for g in role_groups if g.name not in {r.value for r in roles}])
        user.groups.add(*[g for g in role_groups if g.name in {r.value for r in roles}])
        team_name = str(claims.get(settings.OIDC_TEAM_CLAIM) or "")[:120]
        if team_name:
            team, _created = Team.objects.get_or_create(name=team_name)
            if Role.MANAGER in roles:
                team.managers.add(user)
            if Role.TRAINEE in roles:
                user.teams.set([team])
        return user

    def _username(self, claims) -> str:
        return str(claims.get("preferred_username") or claims.get("email") or "")[:150]


def _enabled(view):
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


sso_login = _enabled(OIDCAuthenticationRequestView.as_view())
sso_callback = _enabled(OIDCAuthenticationCallbackView.as_view())
