import pytest
from celery.contrib.testing.worker import start_worker

from meedoen.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytest_plugins = ["tests.world"]


@pytest.fixture
def make_user(db):
    def make(role=Role.PROFESSIONAL, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def users(make_user):
    """One user per role, keyed by role value."""
    return {role: make_user(role=role, username=f"demo-{role}") for role in Role.values}


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def worker():
    """A real Celery worker (in a thread) on the real broker from REDIS_URL."""
    from meedoen.celery import app

    app.loader.import_module("celery.contrib.testing.tasks")
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10) as running:
        yield running


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo set, seeded once per test module inside a transaction that is rolled back afterwards."""
    from django.db import transaction

    from tests.factories.demo import seed_demo

    with django_db_blocker.unblock(), transaction.atomic():
        output = seed_demo()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo, db):
    """The demo set for one test (each test adds a savepoint); the value is what seed_demo printed."""
    return demo
