from django.urls import path

from people import lti, views

app_name = "people"
urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("people/", views.person_list, name="person_list"),
    path("people/sheet/", views.provisioning, name="provisioning"),
    path("people/sheet/<uuid:pk>/", views.provisioning_preview, name="provisioning_preview"),
    path("people/<int:pk>/", views.person_data, name="person_data"),
    path("people/<int:pk>/export.json", views.person_export, name="person_export"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path("lti/login/", lti.lti_login, name="lti_login"),
    path("lti/launch/", lti.lti_launch, name="lti_launch"),
    path("lti/jwks/", lti.lti_jwks, name="lti_jwks"),
]
