"""Terms, targets and report jobs in Django admin, scoped to the administrator's subtrees
(members/admin_scope.py)."""
from django.contrib import admin

from members.admin_scope import ScopedAdminMixin

from .models import ReportJob, Target, Term


@admin.register(Term)
class TermAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "label", "start_date", "end_date", "recorded_by",
                    "updated_at"]
    list_filter = ["label"]
    search_fields = ["organisation__code", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["recorded_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Target)
class TargetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "year", "term", "admissions", "set_by", "updated_at"]
    list_filter = ["term", "year"]
    search_fields = ["organisation__code", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["set_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportJob)
class ReportJobAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: jobs are made by the report pages and run by the task worker."""

    list_display = ["requested_at", "organisation", "period", "format", "status", "progress",
                    "requested_by"]
    list_filter = ["status", "format"]
    exclude = ["content"]
    readonly_fields = [f.name for f in ReportJob._meta.fields if f.name != "content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
