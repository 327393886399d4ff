from django.contrib import admin

from zelfregie.models import Closure, Location, LocationHost, WalkInHours
from zelfregie.services import location_replan


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

    def save_related(self, request, form, formsets, change):
        """Plan the place's sessions and activity dates again once its hours and closures (inlines, saved and
        deleted here, after save_model) are stored: the agenda and feed then never show a walk-in on a closed day
        or at old times."""
        super().save_related(request, form, formsets, change)
        location_replan(location=form.instance)
