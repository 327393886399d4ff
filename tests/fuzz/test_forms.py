"""Property-based: every form on every page, as each role sees it, takes any input without a server error.

The pages are those of the role × URL matrix that the role may open; their forms are read from the HTML as a browser
would, then Hypothesis submits what the page offers mixed with junk, tampered ids and missing fields. The test client
re-raises any exception in a view, so a crash fails the test with its traceback; a 500 page does too.
"""

import os

import pytest
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings

from brigade.models import Brigadier
from meedoen.accounts.models import Role
from tests.factories.two_factor import enrol, next_code
from tests.fuzz.forms import form_data, page_forms
from tests.test_access_matrix import ANONYMOUS, MATRIX

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 12))
LEFT_OUT = {"logout"}  # submitting it ends the session the rest of the run needs


def _path(name, args, world):
    return reverse(name, args=[arg[1:] if arg.startswith("=") else world[arg] for arg in args])


@pytest.fixture
def fuzz_world(world, users, make_user):
    """The matrix's world, plus what makes the last forms appear: a second brigadier who can still be assigned, and a
    project leader with a second factor (the forms for new recovery codes and for removing it)."""
    Brigadier.objects.create(user=make_user(role=Role.BRIGADIER))
    device, _ = enrol(users[Role.PROJECT_LEADER])
    return {**world, "device": device}


def crawl(client, users, world, role):
    """The forms of every page the role may open, each once."""
    if role != ANONYMOUS:
        client.force_login(users[role])
    if role == Role.PROJECT_LEADER:
        client.post(reverse("two_factor_verify"), {"code": next_code(world["device"])})
    forms = {}
    for (name, args), answers in MATRIX.items():
        if answers[role] != 200:
            continue
        path = _path(name, args, world)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in page_forms(path, response.content.decode()):
            if resolve(form.action.split("?")[0]).url_name not in LEFT_OUT:
                forms.setdefault(form.key, form)
    return list(forms.values())


def _url_name(path):
    match = resolve(path.split("?")[0])
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def test_every_post_url_of_the_matrix_has_a_form_that_is_fuzzed(client, users, fuzz_world):
    """The fuzzing below reaches every URL that takes a POST: a form for it is on some page of some role."""
    posted = set()
    for role in [ANONYMOUS, *Role.values]:
        client.logout()
        posted |= {_url_name(form.action) for form in crawl(client, users, fuzz_world, role) if form.method == "post"}
    takes_post = {name for (name, _), answers in MATRIX.items() if 405 in answers.values()}
    assert takes_post - posted == set()


def fuzz(client, form):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(data=form_data(form))
    def submit(data):
        send = client.post if form.method == "post" else client.get
        response = send(form.action, data)
        assert response.status_code < 500, f"{form.method.upper()} {form.action} (from {form.page}): {data!r}"

    submit()


@pytest.mark.parametrize("role", [ANONYMOUS, *Role.values])
def test_no_form_gives_a_server_error_whatever_is_sent(client, users, fuzz_world, role):
    forms = crawl(client, users, fuzz_world, role)
    assert forms, f"{role} sees no form at all"
    for form in forms:
        fuzz(client, form)
