"""Trilha as an LTI 1.3 tool (pylti1p3), off unless ``LTI_CONFIG_FILE`` names the platforms'
registrations. A company's LMS launches a call or a module; the launch is validated (the
platform's signed id_token, its nonce and state, the deployment), the person is signed in as
a trainee (created on their first launch, keyed by platform and platform user id), and their
grade goes back to the LMS through Assignment and Grade Services after each graded call.

The launch opens Trilha in a window of its own (the platform's "new window" setting): the
launch endpoints are exempt from CSRF (the signed token is the proof) and only they may be
framed, so nothing else of the site is loosened. State and nonce live in the cache, not the
session, so the platform's cross-site POST needs no third-party cookie.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import Group
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.tool_config import ToolConfJsonFile

from people.models import LtiLink
from scenarios.models import Scenario
from training.models import Module
from training.roles import Role

logger = logging.getLogger(__name__)

CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
RESOURCE_LINK = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
DEPLOYMENT = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@lru_cache(maxsize=4)
def _conf(path: str) -> ToolConfJsonFile:
    return ToolConfJsonFile(path)


def tool_conf() -> ToolConfJsonFile:
    if not settings.LTI_CONFIG_FILE:
        raise Http404
    return _conf(settings.LTI_CONFIG_FILE)


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def lti_login(request):
    """Step one of a launch (OpenID Connect third-party login): back to the platform with a
    state and a nonce kept in the cache."""
    conf = tool_conf()
    target = request.POST.get("target_link_uri") or request.GET.get("target_link_uri")
    if not target:
        return HttpResponseBadRequest("target_link_uri is missing")
    try:
        oidc = DjangoOIDCLogin(request, conf, launch_data_storage=DjangoCacheDataStorage())
        return oidc.redirect(target)
    except LtiException as exc:
        return HttpResponseBadRequest(f"LTI login refused: {exc}")


@csrf_exempt
@xframe_options_exempt
@require_POST
def lti_launch(request):
    """Step two: validate the platform's id_token, sign the person in, remember where their
    grade goes, and open the call or module the link names."""
    conf = tool_conf()
    try:
        launch = DjangoMessageLaunch(request, conf, launch_data_storage=DjangoCacheDataStorage())
        data = launch.get_launch_data()
    except LtiException as exc:
        return HttpResponseBadRequest(f"LTI launch refused: {exc}")
    if not launch.is_resource_launch():
        return HttpResponseBadRequest("Only resource links can be launched.")
    custom = data.get(CUSTOM) or {}
    scenario = Scenario.objects.filter(slug=str(custom.get("call", "")), is_active=True).first()
    module = Module.objects.filter(slug=str(custom.get("module", ""))).first()
    if scenario is None and module is None:
        return HttpResponseBadRequest(
            "The link names no call or module: set the custom parameter call=<slug> or "
            "module=<slug>."
        )
    user = _person(data)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    ags = data.get(AGS) or {}
    LtiLink.objects.update_or_create(
        issuer=data["iss"],
        resource_link=str((data.get(RESOURCE_LINK) or {}).get("id", ""))[:255],
        user=user,
        defaults={
            "client_id": launch.get_client_id()[:255],
            "subject": str(data["sub"])[:255],
            "deployment_id": str(data.get(DEPLOYMENT, ""))[:255],
            "scenario": scenario,
            "module": module if scenario is None else None,
            "lineitem": str(ags.get("lineitem", ""))[:500],
            "scopes": list(ags.get("scope") or []),
        },
    )
    return redirect(scenario or module)


@require_GET
def lti_jwks(request):
    """The tool's public keys, for the platform to check what the tool signs."""
    return JsonResponse(tool_conf().get_jwks())


def _person(data: dict):
    """The person a launch is for: made on their first launch (a trainee with no password of
    their own; they come in through the LMS), their name and e-mail kept up to date."""
    key = hashlib.sha256(f"{data['iss']}|{data['sub']}".encode()).hexdigest()[:20]
    User = get_user_model()
    user, created = User.objects.get_or_create(username=f"lti-{key}")
    user.first_name = str(data.get("given_name", user.first_name))[:150]
    user.last_name = str(data.get("family_name", user.last_name))[:150]
    user.email = str(data.get("email", user.email))[:254]
    if created:
        user.set_unusable_password()
    user.save()
    if created:
        user.groups.add(Group.objects.get(name=Role.TRAINEE.value))
    return user


def grade_send(link: LtiLink, *, score: float, passed: bool, at) -> None:
    """Send one grade to the link's line item; errors are kept on the link and logged (the
    next graded result sends the grade again)."""
    if not link.lineitem or SCORE_SCOPE not in link.scopes:
        return
    try:
        registration = tool_conf().find_registration_by_params(link.issuer, link.client_id)
        if registration is None:
            raise LtiException("the platform is no longer registered")
        service = AssignmentsGradesService(
            ServiceConnector(registration), {"scope": link.scopes, "lineitem": link.lineitem}
        )
        grade = (
            Grade()
            .set_score_given(round(score, 2))
            .set_score_maximum(100)
            .set_timestamp(at.isoformat())
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
            .set_user_id(link.subject)
            .set_comment("Aprovado" if passed else "Reprovado")
        )
        service.put_grade(grade)
    except Exception as exc:  # the LMS being down must never undo or block a grade
        logger.warning("LTI grade for link %s not sent: %s", link.pk, exc)
        LtiLink.objects.filter(pk=link.pk).update(last_error=str(exc)[:500])
        return
    LtiLink.objects.filter(pk=link.pk).update(score_sent_at=timezone.now(), last_error="")
