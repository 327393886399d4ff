"""The production layout in docker-compose.yml: the services, exactly one beat, and the settings they run with."""

import yaml

from meedoen.embedded import BASE_DIR


def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_compose_runs_database_broker_web_workers_and_one_beat():
    services = compose()["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert services["web"]["command"][:2] == ["gunicorn", "meedoen.wsgi"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "meedoen", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "meedoen", "beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_app_services_run_in_production_mode_against_the_compose_servers():
    services = compose()["services"]
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["MEEDOEN_ENV"] == "production"
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
