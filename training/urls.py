from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_modules, name="my_modules"),
    path("authoring/", views.authoring, name="authoring"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("modules/", views.module_list, name="module_list"),
    path("modules/<slug:slug>/", views.module_detail, name="module_detail"),
    path(
        "modules/<slug:module_slug>/<slug:slug>/",
        views.procedure_detail,
        name="procedure_detail",
    ),
]
