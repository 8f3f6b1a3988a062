"""The three roles of the platform, the permission that stands for each, and access checks."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TRAINEE = "Trainee", _("Trainee")
    TRAINER = "Trainer", _("Trainer")
    MANAGER = "Manager", _("Manager")


# Each role is a group holding one permission; views check the permission, so a
# user with several roles (or a superuser) reaches every home they are entitled to.
ROLE_PERMISSIONS = {
    Role.TRAINEE: "training.take_training",
    Role.TRAINER: "training.author_content",
    Role.MANAGER: "training.view_dashboard",
}
# A manager with this permission sees every team (a head of operations, say); without it,
# only the teams they manage. Being staff (admin access) grants no scope on its own.
ORGANISATION_SCOPE = "training.view_all_teams"
# A trainer with this permission publishes drafts (their own or others') for trainees.
PUBLISH_CONTENT = "training.publish_content"


def install_role_groups() -> None:
    """Make each role's group hold its permission (the data migration does the same)."""
    from django.contrib.auth.models import Group, Permission

    for role, permission in ROLE_PERMISSIONS.items():
        app_label, codename = permission.split(".")
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def roles_of(user) -> list[Role]:
    if not user.is_authenticated:
        return []
    return [role for role, perm in ROLE_PERMISSIONS.items() if user.has_perm(perm)]


def role_required(role: Role):
    """Send anonymous users to login; answer 403 to users without the role."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(ROLE_PERMISSIONS[role]):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
