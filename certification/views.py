"""Certificate pages: the holder's (or their manager's) printable certificate, the public
verification page, and revoking a certificate."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from certification import badges, impact, services
from certification.forms import RevokeForm
from certification.models import Certification
from training.models import Behavior, Module
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
            "assertion_url": _absolute(
                request, "certification:badge_assertion", certification.code
            ),
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


# --- Open Badges 2.0 (hosted) ---------------------------------------------------------------------


def _absolute(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


@require_GET
def badge_issuer(request):
    return JsonResponse(
        badges.issuer(
            url=_absolute(request, "certification:badge_issuer"),
            name=settings.BADGE_ISSUER_NAME,
            site=request.build_absolute_uri("/"),
            email=settings.DEFAULT_FROM_EMAIL,
        )
    )


@require_GET
def badge_class(request, slug):
    module = get_object_or_404(Module, slug=slug)
    codes = list(
        Behavior.objects.filter(procedure__module=module)
        .exclude(kind=Behavior.Kind.VIOLATION)
        .order_by("procedure__order", "order")
        .values_list("label", flat=True)
    )
    narrative = _(
        "Passed the module's quizzes and simulated calls without a critical error; "
        "it certifies that the holder: %(list)s."
    ) % {"list": "; ".join(codes[:60])}
    return JsonResponse(
        badges.badge_class(
            url=_absolute(request, "certification:badge_class", module.slug),
            name=module.title,
            description=module.summary,
            image=_absolute(request, "certification:badge_image", module.slug),
            criteria_url=request.build_absolute_uri(module.get_absolute_url()),
            narrative=narrative,
            issuer_url=_absolute(request, "certification:badge_issuer"),
            tags=[module.slug],
        )
    )


@require_GET
def badge_image(request, slug):
    module = get_object_or_404(Module, slug=slug)
    png = _qr_png(request.build_absolute_uri(module.get_absolute_url()))
    return HttpResponse(png, content_type="image/png")


def _assertion_of(request, code):
    certification = get_object_or_404(
        Certification.objects.select_related("trainee", "module"), code=code
    )
    url = _absolute(request, "certification:badge_assertion", code)
    return certification, url


@never_cache
@require_GET
def badge_assertion(request, code):
    """The certificate as an Open Badges assertion; a revoked one answers 410 Gone."""
    certification, url = _assertion_of(request, code)
    if certification.revoked_at is not None:
        return JsonResponse(
            badges.revoked(url=url, reason=certification.revocation_reason), status=410
        )
    verify_url = request.build_absolute_uri(certification.get_verification_url())
    return JsonResponse(
        badges.assertion(
            url=url,
            badge_url=_absolute(request, "certification:badge_class", certification.module.slug),
            recipient=badges.recipient(
                email=certification.trainee.email,
                salt=certification.code[:16],
                fallback_url=verify_url,
            ),
            issued_on=certification.awarded_at.isoformat(),
            expires=certification.expires_at.isoformat(),
            evidence_url=verify_url,
            image=_absolute(request, "certification:badge_baked", code),
        )
    )


@never_cache
@require_GET
def badge_baked(request, code):
    """The badge image with its assertion's address baked in, to add to a badge wallet."""
    certification, url = _assertion_of(request, code)
    if certification.revoked_at is not None:
        raise Http404
    png = badges.baked_png(
        _qr_png(request.build_absolute_uri(certification.get_verification_url())), url
    )
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="badge-{certification.code}.png"'
    return response


@require_GET
@role_required(Role.TRAINER)
def publication_impact(request, slug):
    """Dry run of a publication (loaded into a draft's page): the certificates of the module
    standing on the behaviours the draft changes, and what covers exactly those behaviours."""
    module = get_object_or_404(Module, slug=slug)
    codes = [c for c in request.GET.getlist("code") if len(c) <= 100][:200]
    found = impact.impact_of(module, {"revised": codes})
    return render(request, "certification/includes/impact.html", {"impact": found})
