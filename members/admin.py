from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Member, Organisation, RoleGrant


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "staff_headcount"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_date", "organisation", "card_number", "status",
                    "admitted_date", "official_date"]
    list_filter = ["status", "sex"]
    search_fields = ["full_name", "search_name", "card_number", "citizen_id",
                     "organisation__code"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    date_hierarchy = "admitted_date"


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["role", "organisation"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
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
class UserWithRolesAdmin(UserAdmin):
    inlines = [RoleGrantInline]
