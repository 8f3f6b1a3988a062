"""Pages of the site itself rather than of one app: the login lockout, the rate-limited
password reset."""

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """What a person sees after too many wrong passwords (django-axes' lockout page)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


# Password reset requests allowed per hour: from one address, and for one e-mail.
RESETS_PER_ADDRESS = 5
RESETS_PER_EMAIL = 3


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, rate-limited: a flood of requests from one address, or for
    one e-mail, is turned away (429) without sending anything. Whether the e-mail belongs to
    anyone is never revealed."""

    def form_valid(self, form):
        # The client's address as the login lockout reads it (behind the configured proxies).
        address = get_client_ip_address(self.request) or ""
        email = form.cleaned_data["email"].strip().lower()
        keys = [
            (f"reset:address:{address}", RESETS_PER_ADDRESS),
            (f"reset:email:{hashlib.sha256(email.encode()).hexdigest()}", RESETS_PER_EMAIL),
        ]
        for key, limit in keys:
            cache.add(key, 0, timeout=3600)
            if cache.incr(key) > limit:
                return render(self.request, "registration/password_reset_limited.html", status=429)
        return super().form_valid(form)


def lockout_username(request, credentials=None) -> str:
    """The username the login lockout records: as typed, cut to what a username can be (a
    longer one cannot name an account, and must not overflow the lockout's own record)."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    raw = (credentials or {}).get(field) or request.POST.get(field, "")
    return str(raw)[:150]
