"""The one-machine runner: embedded servers come up for a command and are gone after it."""

import os
import subprocess
import sys

from meedoen import embedded


def test_exec_provides_embedded_database_and_redis_and_cleans_up():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    redis_was_up = embedded.redis_answers(embedded.redis_url())
    script = (
        "import os, psycopg2; from meedoen import embedded;"
        "psycopg2.connect(os.environ['DATABASE_URL']).close();"
        "assert embedded.redis_answers(os.environ['REDIS_URL']);"
        "print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'])"
    )
    result = subprocess.run(
        [sys.executable, "-m", "meedoen.stack", "exec", sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=embedded.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    database_url, redis_url = result.stdout.split()
    assert f"host={embedded.PGDATA}" in database_url
    assert redis_url == embedded.redis_url()
    assert embedded.redis_answers(embedded.redis_url()) == redis_was_up
