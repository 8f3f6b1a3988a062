"""Admin for simulated calls: scenarios are authored in the pack, so runs and versions are
read-only records here."""

from django.contrib import admin

from scenarios.models import CallDraft, Run, Scenario, ScenarioVersion, Turn
from training.admin import ReadOnlyAdmin


class ScenarioVersionInline(admin.TabularInline):
    model = ScenarioVersion
    fields = ["number", "content_hash", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "module", "version", "is_active", "order"]
    list_filter = ["module", "is_active"]
    search_fields = ["title", "slug", "summary"]
    list_select_related = ["module"]
    filter_horizontal = ["procedures"]
    readonly_fields = ["version"]
    inlines = [ScenarioVersionInline]


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(admin.ModelAdmin):
    list_display = ["scenario", "number", "content_hash", "created_at"]
    list_filter = ["scenario__module"]
    search_fields = ["scenario__slug", "scenario__title"]
    list_select_related = ["scenario"]
    # Runs are graded against these; editing one would rewrite past results.
    readonly_fields = ["scenario", "number", "definition", "content_hash", "created_at"]


class TurnInline(admin.TabularInline):
    model = Turn
    fields = ["index", "step_id", "choice_id", "said", "behaviors", "next_step", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "user",
        "scenario",
        "status",
        "is_preview",
        "score",
        "compliance_score",
        "critical_errors",
        "passed",
        "started_at",
    ]
    list_filter = ["status", "is_preview", "passed", "scenario__module"]
    search_fields = ["user__username", "scenario__slug"]
    list_select_related = ["user", "scenario"]
    date_hierarchy = "started_at"
    readonly_fields = [
        "user",
        "scenario",
        "version",
        "is_preview",
        "seed",
        "facts",
        "status",
        "current_step",
        "turn_count",
        "started_at",
        "finished_at",
        "score",
        "compliance_score",
        "critical_errors",
        "passed",
        "result",
    ]
    inlines = [TurnInline]


@admin.register(Turn)
class TurnAdmin(ReadOnlyAdmin):
    list_display = ["run", "index", "step_id", "choice_id", "created_at"]
    search_fields = ["run__user__username", "choice_id"]
    list_select_related = ["run"]
    readonly_fields = [
        "run",
        "index",
        "step_id",
        "choice_id",
        "said",
        "behaviors",
        "next_step",
        "created_at",
    ]


@admin.register(CallDraft)
class CallDraftAdmin(ReadOnlyAdmin):
    """Drafts are written in the call editor; here they can only be looked at."""

    list_display = ["slug", "module", "author", "updated_at"]
    list_select_related = ["module", "author"]
