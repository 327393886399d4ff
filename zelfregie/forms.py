from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.core.forms import PlainModelChoiceField
from zelfregie.models import Activity, Location, Participant
from zelfregie.selectors import location_hosts
from zelfregie.services import MAX_VISITORS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CorrectionForm(forms.Form):
    """Change a session's count afterwards; the hidden total tells whether someone tapped in the meantime."""

    expected_visitors = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    visitors = forms.IntegerField(label=_("Visitors"), min_value=0, max_value=MAX_VISITORS)
    new_visitors = forms.IntegerField(label=_("Of whom new"), min_value=0, max_value=MAX_VISITORS)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("For example: counted from the tally sheet afterwards.")
    )

    def __init__(self, *args, session, **kwargs):
        kwargs.setdefault("auto_id", "correct_%s")
        super().__init__(*args, **kwargs)
        self.initial.update(
            {"expected_visitors": session.visitors, "visitors": session.visitors, "new_visitors": session.new_visitors}
        )

    def clean(self):
        data = super().clean()
        if data.get("visitors") is not None and (data.get("new_visitors") or 0) > data["visitors"]:
            self.add_error("new_visitors", _("The new visitors are part of the total: at most the total."))
        return data


class ParticipantForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name or nickname"),
        max_length=50,
        required=False,
        help_text=_("Only what the participant wants to be called. No surname, address or phone number."),
    )
    consent = forms.BooleanField(
        label=_("The participant has read or heard the text above and agrees to it."),
        required=True,
        error_messages={"required": _("Registering needs the participant's consent.")},
    )


class ActivityForm(forms.ModelForm):
    organiser = forms.ChoiceField(label=_("Organised by"), required=False)

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "organiser",
            "recurrence",
            "first_date",
            "last_date",
            "start_time",
            "end_time",
            "capacity",
            "signup_required",
            "public",
            "active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "recurrence": forms.RadioSelect,
            "first_date": DateInput(),
            "last_date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
        }
        help_texts = {
            "description": _("What happens, for whom, what to bring. Shown in the public agenda when public."),
            "last_date": _("Leave empty for an activity that goes on."),
            "capacity": _("Leave empty when there is no limit."),
            "signup_required": _("Participants sign up; when it is full they go on the waiting list."),
        }

    def __init__(self, *args, location: Location, participants: list[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        self.location = location
        self.participants = {f"participant-{p.pk}": p for p in participants}
        self.hosts = {f"host-{user.pk}": user for user in location_hosts(location.pk).order_by("first_name")}
        self.fields["organiser"].choices = [
            ("", "—"),
            (_("Hosts"), [(key, str(user)) for key, user in self.hosts.items()]),
            (_("Participants"), [(key, str(p)) for key, p in self.participants.items()]),
        ]
        self.fields["recurrence"].choices = Activity.Recurrence.choices
        if self.instance.pk:
            organiser = self.instance.organiser_host_id or self.instance.organiser_participant_id
            kind = "host" if self.instance.organiser_host_id else "participant"
            self.initial["organiser"] = f"{kind}-{organiser}" if organiser else ""
        else:
            del self.fields["active"]

    def clean_organiser(self):
        key = self.cleaned_data["organiser"]
        return self.hosts.get(key) or self.participants.get(key)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end is after the start."))
        first, last = data.get("first_date"), data.get("last_date")
        if first and last and last < first:
            self.add_error("last_date", _("The last date is on or after the first date."))
        return data

    def activity_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "organiser"}


class ParticipantSearchForm(forms.Form):
    """Find a participant by first name or pseudonym. Sent by POST, so that a name never ends up in a URL (and
    with it in the server's logs and the browser's history); a NUL character is refused by CharField."""

    q = forms.CharField(
        label=_("First name or pseudonym"),
        max_length=50,
        error_messages={"required": _("Type a first name or a pseudonym.")},
    )


class SignUpForm(forms.Form):
    participant = PlainModelChoiceField(label=_("Participant"), queryset=Participant.objects.none())

    def __init__(self, *args, participants, **kwargs):
        kwargs.setdefault("auto_id", "signup_%s")
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, max_value=MAX_VISITORS)

    def __init__(self, *args, occurrence, **kwargs):
        kwargs.setdefault("auto_id", f"attendance_{occurrence.pk}_%s")
        super().__init__(*args, **kwargs)
        self.occurrence = occurrence
        self.initial.setdefault("attendance", occurrence.attendance)
