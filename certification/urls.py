from django.urls import path, register_converter

from certification import views


class CodeConverter:
    """A verification code as the award writes it: letters and digits only, so anything else
    in the address (a NUL byte, markup, a path) is a plain 404 before any query."""

    regex = "[A-Za-z0-9]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "code")

app_name = "certification"

urlpatterns = [
    path("certificates/<code:code>/", views.certificate, name="certificate"),
    path("certificates/<code:code>/revoke/", views.certification_revoke, name="revoke"),
    path("verify/<code:code>/", views.verify, name="verify"),
    path("certificates/impact/<slug:slug>/", views.publication_impact, name="impact"),
    path("badges/issuer.json", views.badge_issuer, name="badge_issuer"),
    path("badges/modules/<slug:slug>.json", views.badge_class, name="badge_class"),
    path("badges/modules/<slug:slug>.png", views.badge_image, name="badge_image"),
    path("badges/assertions/<code:code>.json", views.badge_assertion, name="badge_assertion"),
    path("badges/assertions/<code:code>.png", views.badge_baked, name="badge_baked"),
]
