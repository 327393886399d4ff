"""The role × URL matrix: every URL, every role, the expected answer. Every later issue extends MATRIX."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meedoen.accounts.models import Role

ANONYMOUS = "anonymous"
ALL = [ANONYMOUS, *Role.values]
LOGIN = "login"  # redirect to the login page


def answers(default, **by_role):
    return {role: by_role.get(role, default) for role in ALL}


SIGNAL_ROLES = {Role.PROFESSIONAL, Role.CHAIR, Role.ADMIN}


def signal_page(ok=200):
    """Signal pages: members of the district (professional and chair here) and admins; other roles refused."""
    return answers(403, anonymous=LOGIN, **{role: ok for role in SIGNAL_ROLES})


def coordination(ok=200):
    return answers(403, anonymous=LOGIN, brigade_coordinator=ok, admin=ok)


def requesting(ok=200, **others):
    return answers(403, anonymous=LOGIN, professional=ok, chair=ok, brigade_coordinator=ok, admin=ok, **others)


def brigadier_only(ok=200):
    return answers(403, anonymous=LOGIN, brigadier=ok)


# url name, args (names of objects in the `world` fixture, or literal strings) -> {role: status code or LOGIN}
MATRIX = {
    ("home", ()): answers(200, anonymous=LOGIN),
    ("health", ()): answers(None),  # 200 or 503 depending on the services; never refused
    ("login", ()): answers(302, anonymous=200),  # logged-in users are sent on to their home page
    ("password_change", ()): answers(200, anonymous=LOGIN),
    ("password_change_done", ()): answers(200, anonymous=LOGIN),
    ("password_reset", ()): answers(200),
    ("password_reset_done", ()): answers(200),
    ("password_reset_confirm", ("=MQ", "=set-password")): answers(200),
    ("password_reset_complete", ()): answers(200),
    # Two-factor pages (issue 7) are every user's own. Verifying when nothing is pending sends the user on.
    ("two_factor", ()): answers(200, anonymous=LOGIN),
    ("two_factor_verify", ()): answers(302, anonymous=LOGIN),
    ("two_factor_setup", ()): answers(200, anonymous=LOGIN),
    ("two_factor_recovery_codes", ()): answers(200, anonymous=LOGIN),
    ("two_factor_recovery_codes_new", ()): answers(405, anonymous=LOGIN),
    ("two_factor_remove", ()): answers(405, anonymous=LOGIN),
    ("reauthenticate", ()): answers(200, anonymous=LOGIN),
    ("privacy:access_log", ()): answers(403, anonymous=LOGIN, privacy_officer=200),
    ("privacy:resident_log", ("pseudonym",)): answers(403, anonymous=LOGIN, privacy_officer=200),
    # Subject access, erasure and retention (issue 7): the privacy officer only; not even the administrator.
    ("privacy:residents", ()): answers(403, anonymous=LOGIN, privacy_officer=200),
    ("privacy:resident", ("pseudonym",)): answers(403, anonymous=LOGIN, privacy_officer=200),
    ("privacy:resident_export", ("pseudonym", "=json")): answers(403, anonymous=LOGIN, privacy_officer=200),
    ("privacy:resident_export", ("pseudonym", "=pdf")): answers(403, anonymous=LOGIN, privacy_officer=200),
    ("privacy:resident_erase", ("pseudonym",)): answers(403, anonymous=LOGIN, privacy_officer=200),
    ("privacy:retention", ()): answers(403, anonymous=LOGIN, privacy_officer=200),
    ("notifications:inbox", ()): answers(200, anonymous=LOGIN),
    ("notifications:mark_read", ()): answers(405, anonymous=LOGIN),
    ("signalering:list", ()): signal_page(),
    ("signalering:mine", ()): signal_page(),
    ("signalering:create", ()): signal_page(),
    ("signalering:resident_check", ()): signal_page(405),
    ("signalering:signal", ("signal",)): signal_page(),
    ("signalering:transition", ("signal",)): signal_page(405),
    ("signalering:update", ("signal",)): signal_page(405),
    ("signalering:note", ("signal",)): signal_page(405),
    ("signalering:action_add", ("signal",)): signal_page(405),
    ("signalering:my_actions", ()): signal_page(),
    ("signalering:action_done", ("action",)): signal_page(405),
    ("signalering:meetings", ()): signal_page(),
    ("signalering:meeting", ("meeting",)): signal_page(),
    # Opening an agenda item to record it: the chair of the district (and admins); a member gets 404.
    ("signalering:meeting_item", ("meeting", "signal")): signal_page() | {Role.PROFESSIONAL: 404},
    ("signalering:meeting_finish", ("meeting",)): signal_page(405),
    ("signalering:meeting_print", ("meeting", "=agenda")): signal_page(),
    # Vliegende Brigade: coordinators (and admins) city-wide; professionals their own requests; brigadiers their
    # own assignments.
    ("brigade:overview", ()): coordination(),
    ("brigade:assessment_list", ()): coordination(),
    ("brigade:pool", ()): coordination(),
    ("brigade:pool_toggle", ("brigadier",)): coordination(405),
    ("brigade:requests", ()): requesting(),
    ("brigade:request_create", ()): requesting(),
    ("brigade:request", ("visit_request",)): requesting(brigadier=302),  # brigadiers go on to their assignment
    ("brigade:assign", ("visit_request",)): coordination(405),
    ("brigade:assessment", ("visit_request",)): coordination(405),
    ("brigade:close_request", ("visit_request",)): coordination(405),
    ("brigade:cancel", ("visit_request",)): requesting(405),
    ("brigade:mine", ()): brigadier_only(),
    ("brigade:assignment", ("assignment",)): brigadier_only(),
    ("brigade:respond", ("assignment",)): brigadier_only(405),
    ("brigade:contact", ("assignment",)): brigadier_only(405),
    ("brigade:close_assignment", ("assignment",)): brigadier_only(405),
    # Zelfregiecentrum: the public agenda and its iCalendar feeds are open to everyone, logged in or not; the rest is
    # for the hosts of the place (the host here hosts the matrix place) and admins.
    ("zelfregie:agenda", ()): answers(200),
    ("zelfregie:agenda_location", ("zr_slug",)): answers(200),
    ("zelfregie:agenda_ics", ("zr_slug",)): answers(200),
    ("zelfregie:overview", ()): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:location", ("zr_location",)): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:participant_create", ("zr_location",)): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:activity_create", ("zr_location",)): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:session", ("zr_session",)): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:count", ("zr_session",)): answers(403, anonymous=LOGIN, host=200, admin=200),  # GET: the live total
    ("zelfregie:correct", ("zr_session",)): answers(403, anonymous=LOGIN, host=405, admin=405),
    ("zelfregie:expected_list", ()): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:expected_arrived", ("zr_expected",)): answers(403, anonymous=LOGIN, host=405, admin=405),
    ("zelfregie:participant_list", ()): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:participant", ("zr_participant",)): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:participant_delete", ("zr_participant",)): answers(403, anonymous=LOGIN, host=405, admin=405),
    ("zelfregie:activity_list", ()): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:activity", ("zr_activity",)): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:activity_edit", ("zr_activity",)): answers(403, anonymous=LOGIN, host=200, admin=200),
    ("zelfregie:signup_create", ("zr_activity",)): answers(403, anonymous=LOGIN, host=405, admin=405),
    ("zelfregie:signup_cancel", ("zr_signup",)): answers(403, anonymous=LOGIN, host=405, admin=405),
    ("zelfregie:attendance", ("zr_occurrence",)): answers(403, anonymous=LOGIN, host=405, admin=405),
    # Reports (issue 6, dashboard and list exports): the dashboard holds counts only, for the project leader and
    # admins; each list export has exactly the roles of the list it exports.
    ("reports:dashboard", ()): answers(403, anonymous=LOGIN, project_leader=200, admin=200),
    ("reports:export_signals", ()): signal_page(),
    ("reports:export_actions", ()): signal_page(),
    ("reports:export_requests", ()): requesting(),
    # Quarterly reports (issue 6): figures only, for the municipality, the project leader and admins. Report 0 never
    # exists, so the allowed roles get 404 here; tests/reports/test_reporting.py opens real reports per role.
    ("reports:quarterly", ()): answers(403, anonymous=LOGIN, municipality=200, project_leader=200, admin=200),
    ("reports:quarterly_detail", ("=0",)): answers(
        403, anonymous=LOGIN, municipality=404, project_leader=404, admin=404
    ),
    ("reports:quarterly_progress", ("=0",)): answers(
        403, anonymous=LOGIN, municipality=404, project_leader=404, admin=404
    ),
    ("reports:quarterly_download", ("=0", "=pdf")): answers(
        403, anonymous=LOGIN, municipality=404, project_leader=404, admin=404
    ),
    # Statistics API (issue 6, point 3): the middleware lets the API through (a BI tool has a token, not a session);
    # DRF decides: token or session of the municipality, project leader or admin; anonymous 401, other roles 403.
    # The figures need ?year=&quarter=, so the allowed roles get 400 here; tests/reports/test_api.py asks real ones.
    # The docs page is a browser page: anonymous visitors go to the login page.
    ("api:index", ()): answers(403, anonymous=401, municipality=200, project_leader=200, admin=200),
    ("api:figures", ()): answers(403, anonymous=401, municipality=400, project_leader=400, admin=400),
    ("api:districts", ()): answers(403, anonymous=401, municipality=200, project_leader=200, admin=200),
    ("api:quarters", ()): answers(403, anonymous=401, municipality=200, project_leader=200, admin=200),
    ("api:schema", ()): answers(403, anonymous=401, municipality=200, project_leader=200, admin=200),
    ("api:docs", ()): answers(403, anonymous=LOGIN, municipality=200, project_leader=200, admin=200),
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
def test_role_gets_expected_answer(client, users, world, name, args, role, expected):
    if role != ANONYMOUS:
        client.force_login(users[role])
    resolved = [arg[1:] if arg.startswith("=") else world[arg] for arg in args]
    response = client.get(reverse(name, args=resolved))
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
