"""Django admin, scoped like the pages.

The admin is open to superusers and to staff users who hold the administrator role. For the
latter every list, object, history page and foreign-key choice is cut to the subtrees of
their administrator grants, as the selectors cut the pages: an object outside is missing, not
forbidden. Each ModelAdmin says how its rows reach the tree (`organisation_field`); any admin
registered without this mixin (Django's groups, axes, the task results…) is for superusers
only, so a package added later cannot open a door by itself.
"""
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .models import Role, subtree_q
from .selectors import scope_roots


def administered_roots(user) -> list:
    """The organisations whose subtrees a staff user administers (empty: none)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    return scope_roots(user, Role.ADMINISTRATOR)


class ScopedAdminSite(admin.AdminSite):
    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and (
            user.is_superuser or bool(administered_roots(user)))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ScopedAdminMixin):
            admin_class = type(admin_class.__name__, (SuperuserOnlyMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)


class SuperuserOnlyMixin:
    """For models with no place in the tree: what they hold is the same for everyone."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class ScopedAdminMixin:
    """For ModelAdmins and inlines. Superusers keep Django's rules; an administrator may do
    what the admin class allows, on rows inside their subtrees; everyone else nothing (the
    role decides, not Django's per-model permissions)."""

    # The lookup from a row to its organisation: "" for an organisation itself, None for a
    # model outside the tree (superusers only).
    organisation_field: str | None = "organisation"

    def admin_scope(self, request) -> list | None:
        """None: no limit (a superuser); otherwise the roots of the user's subtrees."""
        if request.user.is_superuser:
            return None
        return administered_roots(request.user)

    def scope_queryset(self, queryset, roots):
        if self.organisation_field is None or not roots:
            return queryset.none()
        prefix = f"{self.organisation_field}__" if self.organisation_field else ""
        return queryset.filter(subtree_q(roots, prefix=prefix))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        roots = self.admin_scope(request)
        return queryset if roots is None else self.scope_queryset(queryset, roots)

    def _role_allows(self, request, obj=None) -> bool:
        if self.organisation_field is None or not self.admin_scope(request):
            return False
        # An inline is asked about its parent, which the parent's admin has scoped already.
        if obj is None or isinstance(self, InlineModelAdmin):
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        if request.user.is_superuser:
            return super().has_module_permission(request)
        return self._role_allows(request)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._role_allows(request, obj)

    def has_add_permission(self, request, *args):
        if request.user.is_superuser:
            return super().has_add_permission(request, *args)
        return self._role_allows(request)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self._role_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return self._role_allows(request, obj)

    def get_field_queryset(self, db, db_field, request):
        """Foreign-key choices are the related admin's scoped rows; a model without a scoped
        admin offers nothing to a non-superuser."""
        if request.user.is_superuser:
            return super().get_field_queryset(db, db_field, request)
        model = db_field.remote_field.model
        related = self.admin_site._registry.get(model)
        if isinstance(related, ScopedAdminMixin):
            return related.get_queryset(request)
        return model._default_manager.none()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and self.admin_scope(request) is not None:
            _keep_current_choices(form, obj)
        return form


def _keep_current_choices(form, obj):
    """An object at the top of the user's subtree points above it (an organisation's parent):
    keeping that value grants nothing, and without it the object could not be saved at all."""
    for name, field in form.base_fields.items():
        if not isinstance(field, ModelChoiceField) or isinstance(field, ModelMultipleChoiceField):
            continue
        current = getattr(obj, f"{name}_id", None)
        if current is None or field.queryset.filter(pk=current).exists():
            continue
        field.queryset = field.queryset.model._default_manager.filter(
            Q(pk=current) | Q(pk__in=field.queryset.values("pk")))


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """A person's admin with the history button. simple-history shows the last historical
    row of an object its queryset does not hold, and restores an old version on any POST to
    a version page; both are held to the object's scope and the change right here."""

    def _scoped_object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._scoped_object_or_404(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
