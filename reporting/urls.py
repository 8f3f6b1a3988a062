from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("my/", views.my_modules, name="my_modules"),
    path("my/notifications/read/", views.notifications_read, name="notifications_read"),
    path("my/drill/", views.drill_start, name="drill"),
    path("authoring/", views.authoring, name="authoring"),
    path("authoring/coverage/", views.coverage, name="coverage"),
    path("authoring/publications/", views.publications, name="publications"),
    path("authoring/pack/", views.pack_upload, name="pack_upload"),
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
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/trainees/<int:pk>/", views.dashboard_trainee, name="trainee"),
    path(
        "dashboard/trainees/<int:pk>/<str:source>/<int:record>/",
        views.trainee_review,
        name="trainee_review",
    ),
    path("dashboard/behaviours/<str:code>/", views.behavior_misses, name="behavior_misses"),
    path("dashboard/export/matrix.csv", views.dashboard_matrix_csv, name="matrix_csv"),
    path("dashboard/export/attempts.csv", views.dashboard_attempts_csv, name="attempts_csv"),
    path("dashboard/export/matrix.xlsx", views.dashboard_matrix_xlsx, name="matrix_xlsx"),
    path("dashboard/export/attempts.xlsx", views.dashboard_attempts_xlsx, name="attempts_xlsx"),
    path("dashboard/assignments/", views.assignments, name="assignments"),
    path("dashboard/exports/", views.export_list, name="exports"),
    path("dashboard/exports/<int:pk>/", views.export_download, name="export_download"),
]
