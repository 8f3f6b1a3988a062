"""Middleware of the site: response headers on every page, and who acts in the audit trail."""

from django.conf import settings

from training.audit import acting_as


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` from settings, switching off browser features nobody uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class AuditActorMiddleware:
    """Name the request's user in every audit event recorded while answering it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request.user):
            return self.get_response(request)
