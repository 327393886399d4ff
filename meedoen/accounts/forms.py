from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Login with autocomplete hints so password managers and phones fill it in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
