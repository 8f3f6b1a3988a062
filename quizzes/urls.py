from django.urls import path

from quizzes import authoring_views, views

app_name = "quizzes"

urlpatterns = [
    path("", views.quiz_list, name="quiz_list"),
    path("checks/", views.quiz_checks, name="checks"),
    path("module/<slug:slug>/", views.module_quiz, name="module_quiz"),
    path("procedures/<slug:slug>/questions/", views.question_list, name="question_list"),
    path(
        "procedures/<slug:slug>/questions/new/",
        authoring_views.question_new,
        name="question_new",
    ),
    path(
        "procedures/<slug:slug>/questions/check/",
        authoring_views.editor_check,
        name="editor_check",
    ),
    path(
        "procedures/<slug:slug>/questions/import/",
        authoring_views.bank_import,
        name="bank_import",
    ),
    path(
        "procedures/<slug:slug>/questions/export/",
        authoring_views.bank_export,
        name="bank_export",
    ),
    path("questions/<slug:key>/edit/", authoring_views.question_edit, name="question_edit"),
    path(
        "questions/<slug:key>/history/", authoring_views.question_history, name="question_history"
    ),
    path("questions/<slug:key>/revert/", authoring_views.question_revert, name="question_revert"),
    path(
        "questions/<slug:key>/regrade/", authoring_views.question_regrade, name="question_regrade"
    ),
    path("drafts/<int:pk>/", authoring_views.draft_detail, name="draft_detail"),
    path("drafts/<int:pk>/edit/", authoring_views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/publish/", authoring_views.draft_publish, name="draft_publish"),
    path("drafts/<int:pk>/discard/", authoring_views.draft_discard, name="draft_discard"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("attempts/<int:pk>/answers/", views.answer_save, name="answer_save"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempts/<int:pk>/review/", views.attempt_review, name="attempt_review"),
    path("<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("<slug:slug>/start/", views.attempt_start, name="attempt_start"),
]
