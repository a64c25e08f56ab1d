"""The organisation tree, members, users and their roles in Django admin, each scoped to the
administrator's subtrees by members/admin_scope.py."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .admin_scope import ScopedAdminMixin, ScopedHistoryAdmin
from .models import Member, Movement, Organisation, RoleGrant, StaffHeadcount, subtree_q

# Fields that make a user more than their roles: only a superuser sets them.
PRIVILEGE_FIELDS = {"is_superuser", "is_staff", "groups", "user_permissions"}


class HeadcountInline(admin.TabularInline):
    """The unit's staff headcounts by date (also on the department's headcount page)."""

    model = StaffHeadcount
    extra = 0
    fields = ["valid_from", "staff", "imported"]
    readonly_fields = ["imported"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    organisation_field = ""
    list_display = ["code", "name", "kind", "parent", "opened_on", "dissolved_on"]
    inlines = [HeadcountInline]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Without a parent an organisation is a new root, outside every subtree but the
        # superuser's; only an existing root may stay one.
        if not request.user.is_superuser and not (obj is not None and obj.parent_id is None):
            form.base_fields["parent"].required = True
        return form


class MovementInline(ScopedAdminMixin, admin.TabularInline):
    """Movements are written by record_movement (the member pages and the pipeline) only."""

    model = Movement
    fk_name = "member"
    organisation_field = "member__organisation"
    extra = 0
    can_delete = False
    fields = ["date", "kind", "from_organisation", "to_organisation", "outside_place",
              "document_number", "reason", "actor", "imported"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(ScopedHistoryAdmin):
    list_display = ["full_name", "birth_date", "organisation", "card_number", "status",
                    "admitted_date", "official_date"]
    list_filter = ["status", "sex"]
    search_fields = ["full_name", "search_name", "card_number", "citizen_id",
                     "organisation__code"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    date_hierarchy = "admitted_date"
    inlines = [MovementInline]
    # Where a member takes part and whether they still do change only by a dated movement
    # (the member's page), so every change is counted in the period it happened.
    MOVED_BY_MOVEMENTS = ["organisation", "status", "left_date", "left_document", "left_reason",
                          "temporary_organisation"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + self.MOVED_BY_MOVEMENTS if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        # Nothing about a person is deleted outright: leaving is a status with a date.
        return False


class RoleGrantInline(ScopedAdminMixin, admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["role", "organisation"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__code", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(ScopedAdminMixin, UserAdmin):
    inlines = [RoleGrantInline]

    def scope_queryset(self, queryset, roots):
        """Users whose every role lies inside the subtrees (or who have none yet), never a
        superuser: managing an account means being able to reset its password, so a user
        with a role elsewhere belongs to the administrator above both."""
        if not roots:
            return queryset.none()
        elsewhere = RoleGrant.objects.exclude(subtree_q(roots, prefix="organisation__"))
        return queryset.filter(is_superuser=False).exclude(
            pk__in=elsewhere.values("user_id"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [(name, {**options, "fields": [f for f in options["fields"]
                                              if f not in PRIVILEGE_FIELDS]})
                for name, options in fieldsets]
