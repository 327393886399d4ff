from django.contrib import admin

from meedoen.privacy.models import Resident, RetentionPeriod


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Pseudonyms only: identifying fields are read in the application, where every read is logged."""

    list_display = ["pseudonym", "created_at", "anonymised_at"]
    fields = ["pseudonym", "created_at", "anonymised_at"]
    readonly_fields = fields
    search_fields = ["pseudonym"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(admin.ModelAdmin):
    """The municipality's retention periods. A kind without a row keeps its default (RetentionPeriod.DEFAULT_MONTHS);
    the nightly sweep reads the current value, and the privacy officer's retention page shows it."""

    list_display = ["kind", "months", "changed_at"]
    readonly_fields = ["changed_at"]

    def has_delete_permission(self, request, obj=None):
        return False
