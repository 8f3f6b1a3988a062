from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from training import services
from training.models import (
    Behavior,
    BehaviorDailyTally,
    Certification,
    CertificationPolicy,
    Module,
    ModuleActivity,
    Procedure,
    ProcedureRead,
    Team,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["members", "managers"]


class ProcedureInline(admin.TabularInline):
    model = Procedure
    fields = ["order", "slug", "title"]
    show_change_link = True
    extra = 0


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order", "version"]
    search_fields = ["title", "slug"]
    readonly_fields = ["version"]
    inlines = [ProcedureInline]


class BehaviorInline(admin.StackedInline):
    model = Behavior
    fields = ["order", "code", "label", "kind", "prohibited", "description", "manual_quote"]
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "slug", "order"]
    list_filter = ["module"]
    search_fields = ["title", "slug", "guidance"]
    list_select_related = ["module"]
    inlines = [BehaviorInline]


@admin.register(Behavior)
class BehaviorAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "kind", "prohibited", "procedure"]
    list_filter = ["kind", "procedure__module"]
    search_fields = ["code", "label", "manual_quote"]
    list_select_related = ["procedure"]


# --- certification ------------------------------------------------------------------------


@admin.register(CertificationPolicy)
class CertificationPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "module",
        "require_all_content",
        "quiz_pass_mark",
        "call_pass_mark",
        "validity_days",
        "recertify_on_major_version",
        "major_version",
    ]
    list_select_related = ["module"]
    filter_horizontal = ["required_quizzes", "required_scenarios"]
    readonly_fields = ["major_version_since"]
    actions = ["require_recertification"]

    @admin.action(description=_("Require recertification from the current content version"))
    def require_recertification(self, request, queryset):
        for policy in queryset:
            services.certification_policy_require_recertification(policy=policy)
        self.message_user(
            request,
            ngettext(
                "%(count)d policy now requires recertification.",
                "%(count)d policies now require recertification.",
                len(queryset),
            )
            % {"count": len(queryset)},
        )


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    """Certificates are awarded by the rule and revoked from the dashboard; here they are read."""

    list_display = ["trainee", "module", "awarded_at", "expires_at", "content_version", "status"]
    list_filter = ["module", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["trainee", "module__certification_policy"]
    search_fields = ["trainee__username", "trainee__first_name", "trainee__last_name", "code"]
    date_hierarchy = "awarded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.status_at(timezone.now()).label


@admin.register(ProcedureRead)
class ProcedureReadAdmin(admin.ModelAdmin):
    list_display = ["trainee", "procedure", "first_read_at"]
    list_select_related = ["trainee", "procedure"]
    search_fields = ["trainee__username", "procedure__title"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rollups are recounted from results by the services; editing them by hand would lie."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
