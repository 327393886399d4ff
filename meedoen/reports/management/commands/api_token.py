from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from meedoen.reports.api import TOKEN_ROLES


class Command(BaseCommand):
    help = (
        "Print the statistics-API token of a user, making one if there is none. Only for users whose role is "
        "municipality or admin. --rotate replaces the token (the old one stops working)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace an existing token with a new one.")

    def handle(self, *args, username, rotate, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if user.role not in TOKEN_ROLES:
            raise CommandError(
                f"{username!r} has the role {user.role!r}; API tokens are only for the roles "
                f"{', '.join(sorted(TOKEN_ROLES))}."
            )
        if not user.is_active:
            raise CommandError(f"{username!r} is not active.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
