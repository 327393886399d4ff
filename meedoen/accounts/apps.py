from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "meedoen.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core.checks import Tags, register

        from meedoen.accounts.checks import two_factor_required_in_production
        from meedoen.accounts.middleware import mark_session_started

        register(two_factor_required_in_production, Tags.security, deploy=True)
        user_logged_in.connect(mark_session_started, dispatch_uid="mark_session_started")
