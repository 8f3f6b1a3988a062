from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("modules/", views.module_list, name="module_list"),
    path("modules/<slug:slug>/", views.module_detail, name="module_detail"),
    path(
        "modules/<slug:module_slug>/<slug:slug>/",
        views.procedure_detail,
        name="procedure_detail",
    ),
    path(
        "modules/<slug:module_slug>/<slug:slug>/read/",
        views.procedure_read,
        name="procedure_read",
    ),
]
