"""Admin for the question bank, quizzes, attempts and behaviour outcomes.

Attempts and outcomes are read-only here: results change only through the
services, so the admin cannot regrade or rewrite a served paper.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from quizzes.editor import entry_problems
from quizzes.models import Attempt, AttemptItem, Question, QuestionDraft, Quiz, QuizSlot
from training.admin import ReadOnlyAdmin, RevisesModule


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "procedure",
            "key",
            "kind",
            "stem",
            "spec",
            "explanation",
            "manual_quote",
            "behaviors",
            "order",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        procedure = cleaned.get("procedure")
        spec = cleaned.get("spec")
        if spec is not None and not isinstance(spec, dict):
            self.add_error("spec", _('Write the content as a JSON object: {"options": [...]}.'))
            return cleaned
        entry = {
            **(cleaned.get("spec") or {}),
            "key": cleaned.get("key") or "x",
            "procedure": procedure.slug if procedure else "x",
            "kind": cleaned.get("kind"),
            "stem": cleaned.get("stem") or "",
            "explanation": cleaned.get("explanation") or "",
            "manual": cleaned.get("manual_quote") or "",
        }
        # The loader's own check of a question (schema, facts, placeholders, conditions,
        # behaviours, the kind's rule for every drawable case): the same messages everywhere.
        problems = entry_problems(entry, procedure.module) if procedure else []
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


@admin.register(Question)
class QuestionAdmin(RevisesModule, SimpleHistoryAdmin):
    """Kept for looking up and quick fixes; the question editor is where trainers write. A
    change is a new version of the question and of its module, in the question's history."""

    form = QuestionAdminForm
    list_display = ["key", "procedure", "kind", "is_active", "version"]
    list_filter = ["kind", "is_active", "procedure__module"]
    search_fields = ["key", "stem"]
    autocomplete_fields = ["behaviors"]
    list_select_related = ["procedure"]
    readonly_fields = ["version"]

    def module_of(self, obj):
        return obj.procedure.module

    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            obj.version += 1
        super().save_model(request, obj, form, change)


class QuizSlotInline(admin.TabularInline):
    model = QuizSlot
    extra = 0
    raw_id_fields = ["question"]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "pass_mark", "max_attempts", "review", "is_published"]
    list_filter = ["is_published", "review"]
    search_fields = ["title", "slug"]
    inlines = [QuizSlotInline]
    readonly_fields = ["version"]


@admin.register(QuizSlot)
class QuizSlotAdmin(admin.ModelAdmin):
    list_display = ["quiz", "order", "question", "procedure", "draw_count"]
    list_select_related = ["quiz", "question", "procedure"]


class AttemptItemInline(admin.TabularInline):
    model = AttemptItem
    extra = 0
    can_delete = False
    fields = ["position", "question", "response", "saved_at", "score", "correct"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["quiz", "user", "number", "status", "score", "passed", "started_at"]
    list_filter = ["status", "passed", "quiz"]
    search_fields = ["user__username", "quiz__title"]
    list_select_related = ["quiz", "user"]
    inlines = [AttemptItemInline]
    date_hierarchy = "started_at"


@admin.register(AttemptItem)
class AttemptItemAdmin(ReadOnlyAdmin):
    list_display = ["attempt", "position", "question", "score", "correct"]
    list_select_related = ["attempt__quiz", "attempt__user", "question"]


@admin.register(QuestionDraft)
class QuestionDraftAdmin(ReadOnlyAdmin):
    """Drafts are written in the question editor; here they can only be looked at."""

    list_display = ["key", "module", "author", "updated_at"]
    list_select_related = ["module", "author"]
