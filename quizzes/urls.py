from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("", views.quiz_list, name="quiz_list"),
    path("checks/", views.quiz_checks, name="checks"),
    path("module/<slug:slug>/", views.module_quiz, name="module_quiz"),
    path("procedures/<slug:slug>/questions/", views.question_list, name="question_list"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("attempts/<int:pk>/answers/", views.answer_save, name="answer_save"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempts/<int:pk>/review/", views.attempt_review, name="attempt_review"),
    path("<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("<slug:slug>/start/", views.attempt_start, name="attempt_start"),
]
