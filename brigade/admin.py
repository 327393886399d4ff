from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import admin

from brigade.models import Availability, BrigadeSettings, Brigadier, Expertise, TrainingModule, TrainingRecord


class TrainingRecordForm(forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["module", "completed_on", "certified", "refresher_due"]

    def clean(self):
        data = super().clean()
        module, completed = data.get("module"), data.get("completed_on")
        if not data.get("refresher_due") and module and completed and module.refresher_months:
            data["refresher_due"] = completed + relativedelta(months=module.refresher_months)
        return data


class TrainingInline(admin.TabularInline):
    model = TrainingRecord
    form = TrainingRecordForm
    extra = 0


class AvailabilityInline(admin.TabularInline):
    model = Availability
    extra = 0


@admin.register(Brigadier)
class BrigadierAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "max_active", "active"]
    list_filter = ["kind", "active", "districts", "expertise"]
    list_select_related = ["user"]
    filter_horizontal = ["expertise", "districts"]
    autocomplete_fields = ["user"]
    inlines = [TrainingInline, AvailabilityInline]


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "refresher_months"]


@admin.register(BrigadeSettings)
class BrigadeSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contact_within_days", "unassigned_reminder_days", "refresher_notice_days"]

    def has_add_permission(self, request):
        return not BrigadeSettings.objects.exists()
