from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_modules, name="my_modules"),
    path("authoring/", views.authoring, name="authoring"),
    path("authoring/coverage/", views.coverage, name="coverage"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/trainees/<int:pk>/", views.dashboard_trainee, name="dashboard_trainee"),
    path("dashboard/export/matrix.csv", views.dashboard_matrix_csv, name="dashboard_matrix_csv"),
    path(
        "dashboard/export/attempts.csv",
        views.dashboard_attempts_csv,
        name="dashboard_attempts_csv",
    ),
    path(
        "certificates/<str:code>/revoke/",
        views.certification_revoke,
        name="certification_revoke",
    ),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("authoring/item-analysis/", views.item_analysis_index, name="item_analysis"),
    path(
        "authoring/item-analysis/quizzes/<slug:slug>/",
        views.item_analysis_quiz,
        name="item_analysis_quiz",
    ),
    path(
        "authoring/item-analysis/calls/<slug:slug>/",
        views.item_analysis_call,
        name="item_analysis_call",
    ),
    path("modules/", views.module_list, name="module_list"),
    path("modules/<slug:slug>/", views.module_detail, name="module_detail"),
    path(
        "modules/<slug:module_slug>/<slug:slug>/",
        views.procedure_detail,
        name="procedure_detail",
    ),
]
