import re

from django import forms
from django.utils.translation import gettext_lazy as _

PSEUDONYM = re.compile(r"^B-[A-Z0-9]{6}$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ResidentLookupForm(forms.Form):
    """Find the resident a subject-access or erasure request is about: one of three ways."""

    pseudonym = forms.CharField(
        label=_("Pseudonym"), required=False, max_length=12, help_text=_("For example B-7KQ2MX.")
    )
    full_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    house_number = forms.CharField(label=_("House number"), required=False, max_length=20)

    def clean_pseudonym(self) -> str:
        pseudonym = self.cleaned_data["pseudonym"].strip().upper()
        if pseudonym and not PSEUDONYM.match(pseudonym):
            raise forms.ValidationError(_("A pseudonym is B- followed by six letters or digits, e.g. B-7KQ2MX."))
        return pseudonym

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("full_name") and not data.get("date_of_birth"):
            self.add_error(
                "date_of_birth", _("With a name, give the date of birth too, so the person can be recognised.")
            )
        if data.get("date_of_birth") and not data.get("full_name"):
            self.add_error("full_name", _("With a date of birth, give the name too."))
        if bool(data.get("postcode")) != bool(data.get("house_number")):
            field = "house_number" if data.get("postcode") else "postcode"
            self.add_error(field, _("Give both postcode and house number, or neither."))
        ways = [bool(data.get("pseudonym")), bool(data.get("full_name")), bool(data.get("postcode"))]
        if not self.errors and sum(ways) != 1:
            raise forms.ValidationError(
                _("Search in one way: by pseudonym, by name and date of birth, or by postcode and house number."),
                code="one_way",
            )
        return data

    def way(self) -> str:
        data = self.cleaned_data
        return "pseudonym" if data.get("pseudonym") else "identity" if data.get("full_name") else "address"


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the erasure"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: request of the resident of 3 March, reference 2026-014. No details about the person: "
            "this reason is kept."
        ),
        error_messages={"required": _("Give the reason for the erasure, for example the request's reference.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "I have checked that this person asked for it (or the law requires it) and that no legal duty to keep "
            "the data applies. I understand that the erasure cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
