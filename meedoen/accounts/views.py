"""Django's authentication views, with their access rules, Dutch texts and one shared template."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from meedoen.accounts import two_factor
from meedoen.accounts.access import ANY_ROLE, public, roles
from meedoen.accounts.forms import LoginForm

PAGE = "registration/page.html"


class LoginView(auth_views.LoginView):
    """The password step. Django's login() gives the session a new id; a user who has a second factor (or must
    enrol one) goes straight on to that step, with the page they asked for kept in `next`."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        two_factor.mark_authenticated(self.request)
        step = two_factor.pending_step(self.request)
        if step is None:
            return response
        return HttpResponseRedirect(f"{two_factor.step_url(step)}?{urlencode({'next': self.get_success_url()})}")


login = two_factor.before_two_factor(public(LoginView.as_view()))
logout = two_factor.before_two_factor(public(auth_views.LogoutView.as_view()))
password_change = roles(ANY_ROLE)(
    auth_views.PasswordChangeView.as_view(
        template_name=PAGE,
        success_url=reverse_lazy("password_change_done"),
        extra_context={
            "heading": _("Change password"),
            "intro": _("Use at least 12 characters. Avoid common passwords and anything that resembles your name."),
            "button": _("Save new password"),
        },
    )
)
password_change_done = roles(ANY_ROLE)(
    auth_views.PasswordChangeDoneView.as_view(
        template_name=PAGE,
        extra_context={
            "heading": _("Password changed"),
            "intro": _("Your password has been changed."),
            "link_url": reverse_lazy("home"),
            "link_text": _("Back to the home page"),
        },
    )
)
password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name=PAGE,
        success_url=reverse_lazy("password_reset_done"),
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
        html_email_template_name="registration/password_reset_email.html",
        extra_context={
            "heading": _("Forgot your password?"),
            "intro": _("Enter your e-mail address. If it belongs to an account, we send a link to set a new password."),
            "button": _("Send link"),
        },
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(
        template_name=PAGE,
        extra_context={
            "heading": _("Check your e-mail"),
            "intro": _(
                "If the address belongs to an account, an e-mail with a link to set a new password is on its way. "
                "The link works once and for a limited time."
            ),
            "link_url": reverse_lazy("login"),
            "link_text": _("Back to log in"),
        },
    )
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/password_reset_confirm.html",
        success_url=reverse_lazy("password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name=PAGE,
        extra_context={
            "heading": _("Password set"),
            "intro": _("Your new password has been set. You can log in with it now."),
            "link_url": reverse_lazy("login"),
            "link_text": _("Log in"),
        },
    )
)
