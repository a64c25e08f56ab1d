"""Pipeline records in Django admin, scoped to the administrator's subtrees
(members/admin_scope.py). Stages, votes and decisions are written by the pipeline services
only, so here they are read-only."""
from django.contrib import admin

from members.admin_scope import ScopedAdminMixin, ScopedHistoryAdmin

from .models import Candidate, Decision, Holiday, RuleParameter, StageEvent, Vote


@admin.register(Holiday)
class HolidayAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # One calendar for the whole tree: an administrator of one subtree would change the
    # deadlines of every other.
    organisation_field = None
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(RuleParameter)
class RuleParameterAdmin(ScopedAdminMixin, admin.ModelAdmin):
    organisation_field = None
    list_display = ["code", "value", "effective_from", "source"]
    list_filter = ["code"]


class StageEventInline(ScopedAdminMixin, admin.TabularInline):
    model = StageEvent
    organisation_field = "candidate__organisation"
    extra = 0
    can_delete = False
    fields = ["event_date", "action", "from_stage", "to_stage", "document_number", "actor",
              "imported", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(ScopedHistoryAdmin):
    """Identity corrections only: stages move through the pipeline pages, never here."""

    list_display = ["full_name", "birth_date", "organisation", "stage", "stage_date", "due_date"]
    list_filter = ["stage", "source", "plan_year"]
    search_fields = ["full_name", "search_name", "citizen_id", "organisation__code"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [f.name for f in Candidate._meta.fields
                       if f.name not in {"full_name", "birth_date", "sex", "ethnicity",
                                         "religion", "citizen_id", "education",
                                         "education_exemption", "education_exemption_kind",
                                         "married", "adult_children",
                                         "readmission_consent_ref", "profession", "occupation",
                                         "youth_union_member", "no_youth_union_at_unit",
                                         "source", "plan_year", "age_consent_ref"}]
    inlines = [StageEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(ScopedAdminMixin, admin.ModelAdmin):
    organisation_field = "candidate__organisation"
    list_display = ["candidate", "kind", "vote_date", "votes_for", "present", "eligible"]
    list_filter = ["kind"]
    list_select_related = ["candidate"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # By the candidate: the deciding organisation is usually the level above the subtree.
    organisation_field = "candidate__organisation"
    list_display = ["number", "kind", "decision_date", "candidate", "decided_by"]
    list_filter = ["kind"]
    search_fields = ["number", "candidate__full_name"]
    list_select_related = ["candidate", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
