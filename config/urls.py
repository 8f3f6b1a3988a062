"""Top-level URLs: each app under its namespace, auth pages, language switch, health check."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views as config_views
from people import sso
from training import views as training_views

urlpatterns = [
    path("", include("training.urls")),
    path("", include("reporting.urls")),
    path("", include("certification.urls")),
    path("", include("people.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("calls/", include("scenarios.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(extra_context={"sso": settings.OIDC_ENABLED}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/sso/", sso.sso_login, name="oidc_authentication_init"),
    path("accounts/sso/callback/", sso.sso_callback, name="oidc_authentication_callback"),
    path("accounts/reset/", config_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", training_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
