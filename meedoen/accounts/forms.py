from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from meedoen.accounts import two_factor

CODE_HELP = _("The six digits from your authenticator app, or one of your recovery codes.")


class LoginForm(AuthenticationForm):
    """Login with autocomplete hints so password managers and phones fill it in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        # django-axes records a failed login with the username as sent, in 255 characters. A longer one can pass
        # the field's limit (checked after NFKC normalisation, which can shorten it): refuse it before logging in.
        if len(self.data.get("username", "")) > 255:
            raise self.get_invalid_login_error()
        return super().clean()


def _code_field(**attrs):
    return forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", **attrs}),
    )


FAILURE_MESSAGES = {
    two_factor.Failure.WRONG: _("This code is not correct or has already been used."),
    two_factor.Failure.THROTTLED: _("Too many wrong codes in a row. Wait a minute and try again."),
}


class CodeForm(forms.Form):
    """The second step of logging in: a code from the app or a recovery code, checked (and used up) on validation."""

    code = _code_field(autofocus=True)

    def __init__(self, *args, request, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.user, self.check = request, user, None

    def clean_code(self):
        self.check = two_factor.check_code(self.request, self.user, self.cleaned_data["code"])
        if self.check.failure:
            raise forms.ValidationError(FAILURE_MESSAGES[self.check.failure])
        return self.cleaned_data["code"]


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("Six digits. The app shows a new code every 30 seconds."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ReauthenticateForm(forms.Form):
    """The password again, and the second factor for a user who has one, before an export or a print."""

    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.user, self.check = request, request.user, None
        self.fields["password"].widget.attrs["autofocus"] = True
        if two_factor.is_enrolled(self.user):
            self.fields["code"] = _code_field()

    def clean_password(self):
        password = self.cleaned_data["password"]
        # authenticate() with the request: django-axes counts a wrong password and refuses a locked-out account.
        user = authenticate(self.request, username=self.user.get_username(), password=password)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(_("This password is not correct."))
        return password

    def clean_code(self):
        if "password" in self.errors:  # a code is only checked, and used up, after the right password
            return self.cleaned_data["code"]
        self.check = two_factor.check_code(self.request, self.user, self.cleaned_data["code"])
        if self.check.failure:
            raise forms.ValidationError(FAILURE_MESSAGES[self.check.failure])
        return self.cleaned_data["code"]
