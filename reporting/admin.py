from django.contrib import admin

from reporting.models import Assignment, BehaviorDailyTally, ModuleActivity
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
