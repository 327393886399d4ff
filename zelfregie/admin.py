from django.contrib import admin

from zelfregie.models import Closure, Location, LocationHost, WalkInHours


class WalkInHoursInline(admin.TabularInline):
    model = WalkInHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class LocationHostInline(admin.TabularInline):
    model = LocationHost
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    """Places, their weekly hours, closures and hosts. Counts, activities and participants are handled in the app,
    where access is logged."""

    list_display = ["name", "district", "address", "active"]
    list_filter = ["active", "district"]
    list_select_related = ["district"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [WalkInHoursInline, ClosureInline, LocationHostInline]
