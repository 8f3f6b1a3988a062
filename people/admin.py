from django.contrib import admin

from people.models import LtiLink
from training.admin import ReadOnlyAdmin


@admin.register(LtiLink)
class LtiLinkAdmin(ReadOnlyAdmin):
    """Where people came from through LTI and whether their last grade reached the LMS."""

    list_display = ["user", "issuer", "resource_link", "scenario", "module", "score_sent_at"]
    list_filter = ["issuer", ("last_error", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "scenario", "module"]
    search_fields = ["user__username", "subject", "resource_link"]
    readonly_fields = ["last_error"]
