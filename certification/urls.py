from django.urls import path

from certification import views

app_name = "certification"

urlpatterns = [
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("certificates/<str:code>/revoke/", views.certification_revoke, name="revoke"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
