"""The audit trail: ``audit_record`` appends an event, and the receivers below record what
happens outside the site's own services (admin edits, roles and teams changed in the admin or
the shell, logins locked out). The person acting is the request's user, which a middleware
hands over through ``acting_as``; commands and the system act as nobody."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save

from training.models import AuditEvent, Team

# Between the parts of a subject made of several names ("code · username · module").
SUBJECT_SEPARATOR = " · "

_actor: ContextVar[object | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Events recorded inside this block name ``user`` as the one who acted. ``user`` may be
    the request's lazy user: it is only looked at when an event is recorded."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def _current_actor_id() -> int | None:
    user = _actor.get()
    return user.pk if user is not None and user.is_authenticated else None


def audit_record(
    action: AuditEvent.Action,
    *,
    subject: str = "",
    details: dict | None = None,
    actor_id: int | None = None,
) -> AuditEvent:
    """Append one event; the actor defaults to whoever the current request is for."""
    return AuditEvent.objects.create(
        action=action,
        actor_id=actor_id if actor_id is not None else _current_actor_id(),
        subject=subject[:200],
        details=details or {},
    )


def _admin_changed(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    flag = {1: "added", 2: "changed", 3: "deleted"}.get(instance.action_flag, "")
    kind = instance.content_type.name if instance.content_type_id else ""
    audit_record(
        AuditEvent.Action.CONTENT_CHANGED,
        actor_id=instance.user_id,
        subject=f"{kind}: {instance.object_repr}",
        details={
            "change": flag,
            "message": instance.get_change_message(),
            "id": instance.object_id,
        },
    )


def _names(model, pks) -> list[str]:
    if model is Team:
        return sorted(Team.objects.filter(pk__in=pks).values_list("name", flat=True))
    if model is get_user_model():
        return sorted(model.objects.filter(pk__in=pks).values_list("username", flat=True))
    return sorted(model.objects.filter(pk__in=pks).values_list("name", flat=True))


def _m2m(event: AuditEvent.Action, relation: str):
    """A receiver for one many-to-many relation: who was added to or removed from what."""

    def receiver(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:
        if action == "pre_clear":
            # The rows are about to go: name them while they still exist.
            related = getattr(instance, _reverse[relation] if reverse else relation)
            pk_set, change = set(related.values_list("pk", flat=True)), "removed"
        elif action in {"post_add", "post_remove"}:
            change = "added" if action == "post_add" else "removed"
        else:
            return
        if pk_set:
            audit_record(
                event,
                subject=str(instance),
                details={change: _names(model, pk_set), "relation": relation},
            )

    return receiver


# The name of each relation seen from the other side, for ``clear()`` called on either.
_reverse = {"groups": "user_set", "members": "teams", "managers": "managed_teams"}

_receivers = []


def connect() -> None:
    """Connect the receivers; called once from the app's ready()."""
    User = get_user_model()
    post_save.connect(_admin_changed, sender=LogEntry, dispatch_uid="audit-admin")
    for through, action, relation in [
        (User.groups.through, AuditEvent.Action.ROLES_CHANGED, "groups"),
        (Team.members.through, AuditEvent.Action.TEAM_CHANGED, "members"),
        (Team.managers.through, AuditEvent.Action.TEAM_CHANGED, "managers"),
    ]:
        receiver = _m2m(action, relation)
        _receivers.append(receiver)  # signals hold receivers weakly
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"audit-{relation}")
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover - axes is a dependency, but the floor needs it not
        return

    def locked_out(sender, request, username, ip_address, **kwargs) -> None:
        audit_record(
            AuditEvent.Action.LOCKED_OUT, subject=username or "", details={"address": ip_address}
        )

    _receivers.append(locked_out)
    user_locked_out.connect(locked_out, dispatch_uid="audit-locked-out")
