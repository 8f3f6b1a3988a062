from django.contrib import admin

from training.models import Behavior, Module, Procedure, Team


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
