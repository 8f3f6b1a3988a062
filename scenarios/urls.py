from django.urls import path

from scenarios import views

app_name = "scenarios"

urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("modules/<slug:module_slug>/", views.scenario_list, name="module_list"),
    path("checks/", views.authoring_checks, name="checks"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/choose/", views.run_choose, name="choose"),
    path("runs/<int:pk>/hang-up/", views.run_hang_up, name="hang_up"),
    path("runs/<int:pk>/review/", views.run_review, name="review"),
    path("<slug:slug>/", views.scenario_detail, name="detail"),
    path("<slug:slug>/start/", views.run_start, name="start"),
    path("<slug:slug>/preview/", views.run_preview, name="preview"),
]
