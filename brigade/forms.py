from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brigade.models import Brigadier, Contact, Expertise, VisitRequest
from brigade.selectors import COORDINATION_ROLES
from brigade.workflow import Referral
from meedoen.accounts.models import District
from meedoen.core.forms import PlainModelChoiceField
from signalering.forms import DateInput
from signalering.selectors import member_districts
from zelfregie.selectors import active_locations

QUESTION_HINT = _("What should the brigadier know to make contact? Only what the visit needs.")


class VisitRequestForm(forms.ModelForm):
    """A visit request. From a signal the resident and district come from the signal; directly, they are asked."""

    full_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    RESIDENT_FIELDS = ("full_name", "date_of_birth", "street", "house_number", "postcode", "phone")

    class Meta:
        model = VisitRequest
        fields = ["district", "question", "urgency", "preferred_gender", "preferred_language", "preferred_expertise"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "urgency": forms.RadioSelect,
            "preferred_expertise": forms.CheckboxSelectMultiple,
        }
        help_texts = {"question": QUESTION_HINT}

    def __init__(self, *args, user, signal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signal = signal
        self.fields["preferred_expertise"].queryset = Expertise.objects.all()
        self.fields["urgency"].choices = VisitRequest.Urgency.choices
        self.fields["preferred_gender"].choices = [
            ("", _("no preference")),
            *self.fields["preferred_gender"].choices[1:],
        ]
        if signal is not None:
            del self.fields["district"]
            for name in self.RESIDENT_FIELDS:
                del self.fields[name]
        else:
            coordinator = user.role in COORDINATION_ROLES
            self.fields["district"].queryset = District.objects.all() if coordinator else member_districts(user)

    def clean(self):
        data = super().clean()
        if self.signal is None:
            has_person = data.get("full_name") and data.get("date_of_birth")
            has_address = data.get("postcode") and data.get("house_number")
            if not (has_person or has_address):
                raise forms.ValidationError(
                    _(
                        "Give the resident's name and date of birth, or postcode and house number, so the brigade can find them."
                    )
                )
        return data

    def resident_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.RESIDENT_FIELDS if self.cleaned_data.get(name)}


class AssignForm(forms.Form):
    brigadier = PlainModelChoiceField(label=_("Brigadier"), queryset=Brigadier.objects.filter(active=True))


class RespondForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"), choices=[("yes", _("Accept")), ("no", _("Decline"))], coerce=lambda v: v == "yes"
    )
    reason = forms.CharField(label=_("Reason (when declining)"), required=False, max_length=300)


class ContactForm(forms.ModelForm):
    """Logging a contact: four taps and a line of text."""

    class Meta:
        model = Contact
        fields = ["date", "kind", "duration_minutes", "note"]
        widgets = {
            "date": DateInput(),
            "kind": forms.RadioSelect,
            "duration_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 600, "step": 15}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "contact_%s")
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["kind"].choices = Contact.Kind.choices


class CloseForm(forms.Form):
    referral = forms.ChoiceField(label=_("Outcome and referral"), choices=Referral.choices, widget=forms.RadioSelect)
    outcome_note = forms.CharField(
        label=_("Short outcome for the person who asked"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    location = PlainModelChoiceField(
        label=_("Meeting place (when referred to the Zelfregiecentrum)"), queryset=None, required=False
    )
    consent = forms.BooleanField(
        label=_("The resident agrees that the hosts may know their first name"), required=False
    )
    first_name = forms.CharField(label=_("First name for the hosts"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = active_locations()

    def clean(self):
        data = super().clean()
        if data.get("referral") == Referral.ZELFREGIE and not data.get("location"):
            self.add_error("location", _("Choose the meeting place the resident was referred to."))
        if data.get("consent") and not data.get("first_name", "").strip():
            self.add_error("first_name", _("Give the first name the resident agreed to share."))
        if data.get("first_name") and not data.get("consent"):
            self.add_error("consent", _("Only with the resident's consent may the hosts know the first name."))
        return data

    def close_arguments(self) -> dict:
        data = self.cleaned_data
        to_place = data["referral"] == Referral.ZELFREGIE
        return {
            "referral": data["referral"],
            "outcome_note": data["outcome_note"],
            "location": data.get("location") if to_place else None,
            "first_name": data["first_name"].strip() if to_place and data.get("consent") else "",
        }


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)


class AssessmentForm(forms.Form):
    decision = forms.CharField(label=_("Decision of the assessment meeting"), widget=forms.Textarea(attrs={"rows": 2}))
