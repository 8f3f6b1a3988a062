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
]
