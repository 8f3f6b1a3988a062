from django.contrib import admin

from reporting.models import Assignment, BehaviorDailyTally, ModuleActivity, Statement
from training.admin import ReadOnlyAdmin


@admin.register(ModuleActivity)
class ModuleActivityAdmin(ReadOnlyAdmin):
    list_display = ["trainee", "module", "quiz_attempts", "quiz_passed", "call_runs", "call_passed"]
    list_filter = ["module"]
    list_select_related = ["trainee", "module"]
    search_fields = ["trainee__username"]


@admin.register(BehaviorDailyTally)
class BehaviorDailyTallyAdmin(ReadOnlyAdmin):
    list_display = ["day", "behavior", "source", "total", "missed"]
    list_filter = ["source", "behavior__procedure__module"]
    list_select_related = ["behavior"]
    date_hierarchy = "day"


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["team", "module", "scenario", "due_on", "assigned_by"]
    list_select_related = ["team", "module", "scenario", "assigned_by"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    """The xAPI outbox: what was sent to the LRS, and what waits for a retry and why."""

    list_display = ["id", "created_at", "sent_at", "tries", "next_try_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    date_hierarchy = "created_at"
