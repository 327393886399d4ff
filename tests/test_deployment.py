"""The production layout: docker-compose.yml's services and settings, and the Dockerfile's build step."""

import os
import re
import subprocess
import sys

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


def test_the_build_time_settings_are_accepted_by_production_settings():
    text = (BASE_DIR / "Dockerfile").read_text()
    build_env = dict(re.findall(r"^\s*(?:RUN )?([A-Z_]+)=(\S+) \\$", text, re.MULTILINE))
    assert {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "ACCESS_LOG_KEY"} <= set(build_env)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(build_env, MEEDOEN_ENV="production")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'meedoen.settings'); django.setup()",
        ],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
