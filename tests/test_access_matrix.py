"""The role × URL matrix: every URL, every role, the expected answer. Every later issue extends MATRIX."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meedoen.accounts.models import Role

ANONYMOUS = "anonymous"
ALL = [ANONYMOUS, *Role.values]
LOGIN = "login"  # redirect to the login page


def answers(default, **by_role):
    return {role: by_role.get(role, default) for role in ALL}


# url name (with args) -> {role: status code or LOGIN}
MATRIX = {
    ("home", ()): answers(200, anonymous=LOGIN),
    ("health", ()): answers(None),  # 200 or 503 depending on the services; never refused
    ("login", ()): answers(302, anonymous=200),  # logged-in users are sent on to their home page
    ("password_change", ()): answers(200, anonymous=LOGIN),
    ("password_change_done", ()): answers(200, anonymous=LOGIN),
    ("password_reset", ()): answers(200),
    ("password_reset_done", ()): answers(200),
    ("password_reset_confirm", ("MQ", "set-password")): answers(200),
    ("password_reset_complete", ()): answers(200),
    ("privacy:access_log", ()): answers(403, anonymous=LOGIN, privacy_officer=200),
}
# Reached with POST only: logout and the language switch.
POST_ONLY = {"logout", "set_language"}
# The admin has its own staff check: only the administrator role gets in.
ADMIN = ("admin:index", ())
ADMIN_ANSWERS = answers(302, admin=200)


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    covered = {name for name, _ in MATRIX} | POST_ONLY
    missing = set(_all_url_names()) - covered
    assert not missing, f"Add these URLs to the role × URL matrix: {sorted(missing)}"


CASES = [(name, args, role, expected) for (name, args), row in MATRIX.items() for role, expected in row.items()]
CASES += [(ADMIN[0], ADMIN[1], role, expected) for role, expected in ADMIN_ANSWERS.items()]


@pytest.mark.parametrize(("name", "args", "role", "expected"), CASES)
def test_role_gets_expected_answer(client, users, name, args, role, expected):
    if role != ANONYMOUS:
        client.force_login(users[role])
    response = client.get(reverse(name, args=args))
    if expected is None:
        assert response.status_code in (200, 503)
    elif expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, f"{role} on {name}"


@pytest.mark.parametrize("role", Role.values)
def test_logout_is_post_only_and_ends_the_session(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
