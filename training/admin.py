from django.contrib import admin

from training import services
from training.models import (
    AuditEvent,
    Behavior,
    Erasure,
    Judgement,
    Module,
    Procedure,
    ProcedureRead,
    Publication,
    Regrade,
    Team,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["members", "managers"]


class RevisesModule:
    """Admin edits of curriculum content make a new version of the module they belong to."""

    def module_of(self, obj) -> Module:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            services.module_content_revised(module=self.module_of(form.instance))

    def delete_model(self, request, obj):
        module = self.module_of(obj)
        super().delete_model(request, obj)
        services.module_content_revised(module=module)

    def delete_queryset(self, request, queryset):
        modules = {self.module_of(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for module in modules:
            services.module_content_revised(module=module)


class ProcedureInline(admin.TabularInline):
    model = Procedure
    fields = ["order", "slug", "title"]
    show_change_link = True
    extra = 0


@admin.register(Module)
class ModuleAdmin(RevisesModule, admin.ModelAdmin):
    list_display = ["title", "slug", "order", "version"]
    search_fields = ["title", "slug"]
    readonly_fields = ["version"]
    inlines = [ProcedureInline]

    def module_of(self, obj):
        return obj

    def delete_model(self, request, obj):
        admin.ModelAdmin.delete_model(self, request, obj)  # nothing left to version

    def delete_queryset(self, request, queryset):
        admin.ModelAdmin.delete_queryset(self, request, queryset)


class BehaviorInline(admin.StackedInline):
    model = Behavior
    fields = ["order", "code", "label", "kind", "description", "manual_quote", "interpretation"]
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(RevisesModule, admin.ModelAdmin):
    list_display = ["title", "module", "slug", "order"]
    list_filter = ["module"]
    search_fields = ["title", "slug", "guidance"]
    list_select_related = ["module"]
    inlines = [BehaviorInline]

    def module_of(self, obj):
        return obj.module


@admin.register(Behavior)
class BehaviorAdmin(RevisesModule, admin.ModelAdmin):
    list_display = ["code", "label", "kind", "procedure"]
    list_filter = ["kind", "procedure__module"]
    search_fields = ["code", "label", "manual_quote"]
    list_select_related = ["procedure"]

    def module_of(self, obj):
        return obj.procedure.module


@admin.register(ProcedureRead)
class ProcedureReadAdmin(admin.ModelAdmin):
    list_display = ["trainee", "procedure", "first_read_at"]
    list_select_related = ["trainee", "procedure"]
    search_fields = ["trainee__username", "procedure__title"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Results and rollups are written by the services; editing them by hand would lie."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Judgement)
class JudgementAdmin(ReadOnlyAdmin):
    """The results ledger: appended by grading, never edited; rows a regrade retired are
    listed too, with the regrade that retired them."""

    list_display = [
        "judged_at",
        "trainee",
        "behavior",
        "verdict",
        "source",
        "record",
        "place",
        "retired_by",
    ]
    list_filter = ["verdict", "source", "module"]
    search_fields = ["behavior__code", "trainee__username"]
    list_select_related = ["behavior", "trainee", "retired_by"]
    date_hierarchy = "judged_at"

    def get_queryset(self, request):
        return Judgement.with_retired.all()


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail: appended by the services and receivers, never edited."""

    list_display = ["at", "actor", "action", "subject"]
    list_filter = ["action"]
    search_fields = ["subject", "actor__username"]
    list_select_related = ["actor"]
    date_hierarchy = "at"


@admin.register(Regrade)
class RegradeAdmin(ReadOnlyAdmin):
    """Regrades applied from the editor: what each corrected, for whom, who and why."""

    list_display = ["at", "item", "item_version", "actor", "reason"]
    search_fields = ["item", "reason"]
    list_select_related = ["actor"]
    date_hierarchy = "at"


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["person", "erased_at"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """The log of what went live: written by publishing and by pack loads, never by hand."""

    list_display = ["at", "module", "version", "source", "by"]
    list_filter = ["source", "module"]
    list_select_related = ["module", "by"]
