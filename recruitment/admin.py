from django.contrib import admin

from .models import Candidate, Decision, Holiday, RuleParameter, StageEvent, Vote


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(RuleParameter)
class RuleParameterAdmin(admin.ModelAdmin):
    list_display = ["code", "value", "effective_from", "source"]
    list_filter = ["code"]


class StageEventInline(admin.TabularInline):
    model = StageEvent
    extra = 0
    can_delete = False
    fields = ["event_date", "action", "from_stage", "to_stage", "document_number", "actor",
              "imported", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """Identity corrections only: stages move through the pipeline pages, never here."""

    list_display = ["full_name", "birth_date", "organisation", "stage", "stage_date", "due_date"]
    list_filter = ["stage", "source", "plan_year"]
    search_fields = ["full_name", "search_name", "citizen_id", "organisation__code"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [f.name for f in Candidate._meta.fields
                       if f.name not in {"full_name", "birth_date", "sex", "ethnicity",
                                         "religion", "citizen_id", "education",
                                         "education_exemption", "profession", "occupation",
                                         "youth_union_member", "no_youth_union_at_unit",
                                         "source", "plan_year", "age_consent_ref"}]
    inlines = [StageEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["candidate", "kind", "vote_date", "votes_for", "present", "eligible"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "decision_date", "candidate", "decided_by"]
    list_filter = ["kind"]
    search_fields = ["number", "candidate__full_name"]

    def has_change_permission(self, request, obj=None):
        return False
