from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import District, DistrictMembership, Neighbourhood, Organisation, User


class MembershipInline(admin.TabularInline):
    model = DistrictMembership
    extra = 0
    autocomplete_fields = ["district"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active", "districts"]
    list_select_related = ["organisation"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role and organisation"), {"fields": ("role", "organisation")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            _("Role and organisation"),
            {"fields": ("email", "first_name", "last_name", "role", "organisation")},
        ),
    )
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class NeighbourhoodInline(admin.TabularInline):
    model = Neighbourhood
    extra = 0


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code"]
    search_fields = ["name", "cbs_code"]
    inlines = [NeighbourhoodInline]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "district"]
    list_filter = ["district"]
    list_select_related = ["district"]
    search_fields = ["name", "cbs_code"]


@admin.register(DistrictMembership)
class DistrictMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "district", "role"]
    list_filter = ["district", "role"]
    list_select_related = ["user", "district"]
    autocomplete_fields = ["user", "district"]
