"""Certificate pages: the holder's (or their manager's) printable certificate, the public
verification page, and revoking a certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from certification import services
from certification.forms import RevokeForm
from certification.models import Certification
from training.roles import ROLE_PERMISSIONS, Role, role_required
from training.selectors import trainee_visible_to


def _get_certification_for_user(user, code: str) -> Certification:
    """The trainee's own certificate, or one of a trainee the user manages; 404 otherwise."""
    certification = get_object_or_404(
        Certification.objects.select_related("trainee", "module__certification_policy"),
        code=code,
    )
    if certification.trainee_id != user.pk and not (
        user.has_perm(ROLE_PERMISSIONS[Role.MANAGER])
        and trainee_visible_to(user, certification.trainee_id)
    ):
        raise Http404
    return certification


@require_GET
@login_required
def certificate(request, code):
    certification = _get_certification_for_user(request.user, code)
    return render(
        request,
        "certification/certificate.html",
        {
            "certification": certification,
            "status": certification.status_at(timezone.now()),
            "verify_url": request.build_absolute_uri(certification.get_verification_url()),
        },
    )


@never_cache
@require_GET
def verify(request, code):
    """Public proof of a certificate: who, what, when and whether it stands; nothing else."""
    certification = get_object_or_404(
        Certification.objects.select_related("trainee__erasure", "module__certification_policy"),
        code=code,
    )
    trainee = certification.trainee
    if hasattr(trainee, "erasure"):
        # The person asked for their data to be erased: the certificate stays true, nameless.
        holder = _("A person whose data was erased at their request")
    else:
        holder = trainee.get_full_name() or trainee.get_username()
    return render(
        request,
        "certification/verify.html",
        {
            "holder": holder,
            "module_title": certification.module.title,
            "awarded_at": certification.awarded_at,
            "expires_at": certification.expires_at,
            "status": certification.status_at(timezone.now()),
        },
    )


@require_POST
@role_required(Role.MANAGER)
def certification_revoke(request, code):
    certification = _get_certification_for_user(request.user, code)
    if certification.trainee_id == request.user.pk:
        # They may see their own certificate, never withdraw it: not even a superuser.
        raise PermissionDenied
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reporting:trainee", pk=certification.trainee_id)
    try:
        services.certification_revoke(
            certification=certification, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate was revoked."))
    return redirect("reporting:trainee", pk=certification.trainee_id)
