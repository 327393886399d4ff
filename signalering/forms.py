from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import Neighbourhood
from meedoen.core.forms import PlainModelChoiceField
from signalering.models import ConcernCategory, Signal
from signalering.selectors import district_members, member_districts
from signalering.workflow import ALLOWED_TRANSITIONS, Outcome, Status

DESCRIPTION_HINT = _(
    "Write only what the meeting needs to know: what worries you and since when. "
    "No diagnoses, no details about others, no more than necessary."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SignalForm(forms.ModelForm):
    """Intake: everything a professional needs to record a worry in under a minute."""

    full_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    street = forms.CharField(label=_("Street"), required=False, max_length=200)
    house_number = forms.CharField(label=_("House number"), required=False, max_length=20)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)

    RESIDENT_FIELDS = ("full_name", "date_of_birth", "street", "house_number", "postcode", "phone")

    class Meta:
        model = Signal
        fields = [
            "district",
            "neighbourhood",
            "categories",
            "urgency",
            "description",
            "legal_basis",
            "resident_informed",
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "urgency": forms.RadioSelect,
            "legal_basis": forms.RadioSelect,
            "resident_informed": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"description": DESCRIPTION_HINT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = member_districts(user).order_by("name")
        self.fields["district"].queryset = districts
        self.fields["district"].empty_label = None
        self.fields["neighbourhood"].queryset = (
            Neighbourhood.objects.filter(district__in=districts)
            .select_related("district")
            .order_by("district__name", "name")
        )
        self.fields["neighbourhood"].label_from_instance = lambda n: f"{n.name} ({n.district.name})"
        self.fields["categories"].queryset = ConcernCategory.objects.filter(active=True)
        for name in ("urgency", "legal_basis", "resident_informed"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]

    def clean(self):
        data = super().clean()
        district, neighbourhood = data.get("district"), data.get("neighbourhood")
        if district and neighbourhood and neighbourhood.district_id != district.pk:
            self.add_error("neighbourhood", _("This neighbourhood is not in the chosen district."))
        if data.get("full_name") and not data.get("date_of_birth"):
            self.add_error(
                "date_of_birth", _("With a name, give the date of birth too, so the person can be recognised.")
            )
        if data.get("date_of_birth") and not data.get("full_name"):
            self.add_error("full_name", _("With a date of birth, give the name too."))
        if bool(data.get("postcode")) != bool(data.get("house_number")):
            field = "house_number" if data.get("postcode") else "postcode"
            self.add_error(field, _("Give both postcode and house number, or neither."))
        return data

    def suppress_errors(self) -> None:
        """Show what was typed without judging it yet (the "already known?" check without JavaScript)."""
        self._errors = ErrorDict()

    def resident_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.RESIDENT_FIELDS if self.cleaned_data.get(name)}


class ResidentLookupForm(forms.Form):
    """The fields that tell whether a resident is already known."""

    full_name = forms.CharField(required=False, max_length=200)
    date_of_birth = forms.DateField(required=False)
    postcode = forms.CharField(required=False, max_length=10)
    house_number = forms.CharField(required=False, max_length=20)


class TransitionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"), choices=[("", "—"), *Outcome.choices], required=False
    )
    reason = forms.CharField(label=_("Reason (when reopening)"), required=False, max_length=500)

    def __init__(self, *args, signal: Signal, **kwargs):
        kwargs.setdefault("auto_id", "status_%s")  # several forms share the signal page: unique ids
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS[signal.status]
        self.fields["status"].choices = [(value, label) for value, label in Status.choices if value in allowed]
        self.fields["expected_version"].initial = signal.version


class SignalUpdateForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    lead = PlainModelChoiceField(label=_("Lead professional (regievoerder)"), queryset=None, required=False)
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_due = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    def __init__(self, *args, signal: Signal, members=None, **kwargs):
        kwargs.setdefault("auto_id", "follow_%s")  # several forms share the signal page: unique ids
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = district_members(signal.district_id) if members is None else members
        self.fields["expected_version"].initial = signal.version
        self.fields["lead"].initial = signal.lead_id
        self.fields["next_step"].initial = signal.next_step
        self.fields["next_step_due"].initial = signal.next_step_due

    def clean(self):
        data = super().clean()
        if data.get("next_step") and not data.get("next_step_due"):
            self.add_error("next_step_due", _("Give the next step a due date."))
        return data


class NoteForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, help_text=DESCRIPTION_HINT
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = PlainModelChoiceField(label=_("Owner"), queryset=None)
    due = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args, district_id: int, members=None, **kwargs):
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = district_members(district_id) if members is None else members


class DiscussionForm(forms.Form):
    """One agenda item in the meeting: everything the chair records, saved at once."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    decision = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"), choices=[("", "—"), *Outcome.choices], required=False
    )
    lead = PlainModelChoiceField(label=_("Lead professional"), queryset=None, required=False)
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_due = forms.DateField(label=_("Next step due"), required=False, widget=DateInput())
    action_description = forms.CharField(label=_("New action"), required=False, max_length=300)
    action_owner = PlainModelChoiceField(label=_("Action owner"), queryset=None, required=False)
    action_due = forms.DateField(label=_("Action due"), required=False, widget=DateInput())

    def __init__(self, *args, signal: Signal, discussion=None, **kwargs):
        kwargs.setdefault("prefix", f"item-{signal.pk}")
        super().__init__(*args, **kwargs)
        for name in ("lead", "action_owner"):
            self.fields[name].queryset = district_members(signal.district_id)
        allowed = {signal.status, *ALLOWED_TRANSITIONS[signal.status]}
        self.fields["status"].choices = [(v, label) for v, label in Status.choices if v in allowed]
        self.initial.update(
            {
                "expected_version": signal.version,
                "status": signal.status,
                "lead": signal.lead_id,
                "next_step": signal.next_step,
                "next_step_due": signal.next_step_due,
                "notes": discussion.notes if discussion else "",
                "decision": discussion.decision if discussion else "",
            }
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.CLOSED and not data.get("outcome"):
            self.add_error("outcome", _("Choose an outcome to close the signal."))
        if data.get("next_step") and not data.get("next_step_due"):
            self.add_error("next_step_due", _("Give the next step a due date."))
        action = [data.get("action_description"), data.get("action_owner"), data.get("action_due")]
        if any(action) and not all(action):
            self.add_error("action_description", _("A new action needs a description, an owner and a due date."))
        return data

    def new_action(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("action_description"):
            return None
        return {"description": data["action_description"], "owner": data["action_owner"], "due": data["action_due"]}


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("General minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
