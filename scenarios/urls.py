from django.urls import path

from scenarios import authoring_views, views

app_name = "scenarios"

urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("modules/<slug:module_slug>/", views.scenario_list, name="module_list"),
    path("checks/", views.authoring_checks, name="checks"),
    path("new/", authoring_views.call_new, name="call_new"),
    path("editor/check/", authoring_views.editor_check, name="editor_check"),
    path("drafts/<int:pk>/", authoring_views.draft_detail, name="draft_detail"),
    path("drafts/<int:pk>/try-reply/", authoring_views.draft_try_reply, name="draft_try_reply"),
    path("drafts/<int:pk>/edit/", authoring_views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/publish/", authoring_views.draft_publish, name="draft_publish"),
    path("drafts/<int:pk>/discard/", authoring_views.draft_discard, name="draft_discard"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/choose/", views.run_choose, name="choose"),
    path("runs/<int:pk>/reply/", views.run_reply, name="reply"),
    path("runs/<int:pk>/hang-up/", views.run_hang_up, name="hang_up"),
    path("runs/<int:pk>/review/", views.run_review, name="review"),
    path("<slug:slug>/", views.scenario_detail, name="detail"),
    path("<slug:slug>/start/", views.run_start, name="start"),
    path("<slug:slug>/preview/", views.run_preview, name="preview"),
    path("<slug:slug>/preview-case/", authoring_views.preview_case, name="preview_case"),
    path("<slug:slug>/edit/", authoring_views.call_edit, name="call_edit"),
    path("<slug:slug>/history/", authoring_views.call_history, name="call_history"),
    path("<slug:slug>/revert/", authoring_views.call_revert, name="call_revert"),
    path("<slug:slug>/regrade/", authoring_views.call_regrade, name="call_regrade"),
]
