from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certification import services
from certification.models import Certification, CertificationPolicy, Recertification
from training.admin import ReadOnlyAdmin


@admin.register(CertificationPolicy)
class CertificationPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "module",
        "require_all_content",
        "quiz_pass_mark",
        "call_pass_mark",
        "validity_days",
        "calls_in_a_row",
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
class CertificationAdmin(ReadOnlyAdmin):
    """Certificates are awarded by the rule and revoked from the dashboard; here they are read."""

    list_display = ["trainee", "module", "awarded_at", "expires_at", "content_version", "status"]
    list_filter = ["module", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["trainee", "module__certification_policy"]
    search_fields = ["trainee__username", "trainee__first_name", "trainee__last_name", "code"]
    date_hierarchy = "awarded_at"

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.status_at(timezone.now()).label


@admin.register(Recertification)
class RecertificationAdmin(ReadOnlyAdmin):
    """Targeted recertifications are assigned when content is published and closed by results;
    here they are read."""

    list_display = ["certificate", "behaviors", "assigned_at", "due_at", "completed_at"]
    list_filter = [("completed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["certificate__trainee", "certificate__module"]
    search_fields = ["certificate__trainee__username", "certificate__code"]
    date_hierarchy = "assigned_at"
