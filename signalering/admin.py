from django.contrib import admin

from signalering.models import ConcernCategory, MeetingSeries


@admin.register(ConcernCategory)
class ConcernCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "position"]
    list_editable = ["active", "position"]
    search_fields = ["name"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    """Schedule and deadlines per district. Signals themselves are handled in the app, where access is logged."""

    list_display = ["district", "weekday", "start_time", "interval_weeks", "first_discussion_days", "follow_up_days"]
    list_select_related = ["district"]
