"""Schemathesis against /api/schema/: every operation of the statistics API, fed what the schema allows and what it
does not, answers without a server error and as the schema says (status codes, content type, response bodies)."""

import json
import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from meedoen.accounts.models import Role
from meedoen.wsgi import application


def _schema():
    """The schema /api/schema/ serves (test_the_schema_is_the_one_served checks), made without a request."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))
    loaded.app = application
    return loaded


schema = _schema()


@pytest.fixture
def token(make_user, settings):
    """A BI tool's token, without the throttle (which would answer 429 before the fuzzing got far). As Django's test
    client does, requests leave the database connection open: closing it would end the test's transaction."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"statistics": None}}
    cache.clear()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Token.objects.create(user=make_user(role=Role.MUNICIPALITY)).key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _auth(token):
    return {"Authorization": f"Token {token}"}


def test_the_schema_is_the_one_served(client, token):
    served = client.get("/api/schema/?format=json", headers=_auth(token)).json()
    assert served == schema.raw_schema


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 12)) * 4,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_as_its_schema_says(case, token):
    # Left out: "schema-valid data is accepted". A schema cannot say "a district that exists"; an unknown CBS code gets
    # 400 with a message naming /api/v1/districts/, which is right.
    case.call_and_validate(headers=_auth(token), excluded_checks=[schemathesis.checks.positive_data_acceptance])
