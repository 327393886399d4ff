"""`make bench`: the app under load on a million signals, as logged-in users, measured against a bare Django view.

    python -m meedoen.bench [--signals N] [--duration S] [--connections C] [--workers W] [--no-write]

Run through `meedoen.stack exec` (the Makefile does), so that DATABASE_URL points at a PostgreSQL server. The data
set lives in its own database on that server (`<name>_bench`), is made once with `seed_scale` and reused while it
has the asked number of signals. gunicorn serves it with DEBUG off; wrk drives each page with C connections for S
seconds. Per page: requests per second, p50/p95/p99 latency, the throughput as a share of the bare view's, queries
per request (counted in this process with the test client) and whether its queries use indexes (EXPLAIN: no
sequential scan of a large table). Then a CSV export of every signal is streamed: rows per second and the server's
extra memory. The table is printed and written to docs/benchmarks.md with the machine's description.
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ADDRESS = "127.0.0.1:8765"
BASE_URL = f"http://{ADDRESS}"
WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
LARGE_TABLE_ROWS = 50_000  # a sequential scan of a table this big is a missing index
PASSWORD = "meedoen-bench-2026"  # noqa: S105 - the synthetic accounts of seed_scale (meedoen/accounts/scale.py)


@dataclass
class Page:
    name: str
    user: str
    paths: list[str]
    target_p95_ms: int | None = None
    result: dict = field(default_factory=dict)


def bench_database_url(url: str) -> str:
    """The same server, the database `<name>_bench`."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "meedoen"
    name = name if name.endswith("_bench") else f"{name}_bench"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _manage(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def prepare_database(server_url: str, signals: int, env: dict) -> str:
    """Create, migrate and seed the benchmark database unless it already holds the set."""
    import psycopg2

    url = bench_database_url(server_url)
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = psycopg2.connect(urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    env = {**env, "DATABASE_URL": url, "DEBUG": "true"}
    if exists:
        _manage(env, "migrate", "--no-input", "-v", "0")
        count = _manage(env, "shell", "-c", "from signalering.models import Signal; print(Signal.objects.count())",
                        capture=True)  # fmt: skip
        if int(count.strip().splitlines()[-1]) == signals:
            print(f"Using the data set in {name} ({signals:,} signals).", flush=True)
            admin.close()
            return url
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    print(f"Building the data set in {name} ({signals:,} signals; a million takes some minutes) …", flush=True)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "seed_scale", "--signals", str(signals))
    return url


@contextmanager
def server(env: dict, workers: int):
    command = [sys.executable, "-m", "gunicorn", "meedoen.wsgi", "--bind", ADDRESS, "--workers", str(workers),
               "--timeout", "300", "--worker-tmp-dir", "/dev/shm", "--log-level", "warning"]  # noqa: S108  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=BASE_DIR)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{BASE_URL}/bench/bare/", timeout=2).read()  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not start")
        yield process
    finally:
        process.terminate()
        process.wait(30)


class Session:
    """A logged-in browser: the cookie header wrk sends, and an opener for single requests."""

    def __init__(self, username: str):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.open(f"{BASE_URL}/accounts/login/").read()
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(f"{BASE_URL}/accounts/login/", data=data.encode(),  # noqa: S310
                                         headers={"Referer": f"{BASE_URL}/accounts/login/"})  # fmt: skip
        response = self.opener.open(request)
        if "/accounts/login/" in response.geturl():
            raise RuntimeError(f"{username} could not log in")
        self.cookie = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)

    def get(self, path: str):
        return self.opener.open(f"{BASE_URL}{path}", timeout=300)


def run_wrk(paths: list[str], cookie: str | None, duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
               "-s", str(WRK_SCRIPT)]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, BASE_URL, "--", listing.name], check=True, capture_output=True, text=True)
    os.unlink(listing.name)
    line = next(line for line in output.stdout.splitlines() if line.startswith("{"))
    result = json.loads(line)
    seconds = result["duration_us"] / 1e6
    return {"rps": result["requests"] / seconds, "bad": result["bad"],
            **{key: result[key] / 1000 for key in ("p50", "p95", "p99")}}  # fmt: skip


# --- in this process: ids to visit, queries per request, EXPLAIN ------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "meedoen.bench.settings"
    import django

    django.setup()


def pages() -> list[Page]:
    from django.utils import timezone

    from meedoen.accounts.models import User
    from signalering.models import Meeting
    from signalering.selectors import visible_signals

    professional = User.objects.get(username="bench.professional")
    signal_ids = list(visible_signals(professional).order_by("?").values_list("pk", flat=True)[:200])
    district = professional.memberships.order_by("district").first().district
    agenda = Meeting.objects.filter(district=district, state="planned", starts_at__gte=timezone.now()).earliest(
        "starts_at"
    )
    return [
        Page("bare Django view (ceiling)", "", ["/bench/bare/"]),
        Page("signal list", "bench.professional", ["/signals/"], 100),
        Page(
            "signal list, filtered",
            "bench.professional",
            [
                f"/signals/?status=in_progress&district={district.pk}",
                "/signals/?urgency=3&order=-created",
                "/signals/?q=huur",
                "/signals/?overdue=on&page=2",
            ],
            100,
        ),  # fmt: skip
        Page("signal list, all 1M (administrator)", "bench.admin", ["/signals/", "/signals/?page=40"], 100),
        Page("signal page", "bench.professional", [f"/signals/{pk}/" for pk in signal_ids], 100),
        Page("meeting agenda", "bench.chair", [f"/meetings/{agenda.pk}/"]),
        Page("dashboard (this quarter)", "bench.leader", ["/reports/"], 300),
        Page(
            "dashboard (18 months, one district)",
            "bench.leader",
            [f"/reports/?preset=last_18_months&district={district.pk}"],
            300,
        ),  # fmt: skip
    ]


def queries_and_indexes(page: Page) -> tuple[int, list[str]]:
    """Queries of one request to the page's first path, and the large tables its queries scan without an index.

    The request is made twice: as served (its query count is reported), and with nothing remembered in the cache,
    so that the queries behind remembered figures are explained too."""
    from django.db import connection
    from django.test.utils import override_settings

    _queries(page)  # once first: on a fresh machine the figures are not yet remembered
    served = _queries(page)
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        computed = _queries(page)
    scanned = set()
    with connection.cursor() as cursor:
        for sql in served + computed:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            scanned |= _sequential_scans(cursor.fetchone()[0][0]["Plan"])
        large = set()
        for table in scanned:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            if cursor.fetchone()[0] > LARGE_TABLE_ROWS:
                large.add(table)
    return len(served), sorted(large)


def _queries(page: Page) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from meedoen.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if page.user:
        client.force_login(User.objects.get(username=page.user))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.paths[0])
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {page.paths[0]} answered {response.status_code}")
    return [query["sql"] for query in captured.captured_queries]


def _sequential_scans(plan: dict) -> set[str]:
    found = {plan["Relation Name"]} if plan.get("Node Type") == "Seq Scan" else set()
    for child in plan.get("Plans", []):
        found |= _sequential_scans(child)
    return found


# --- the export -------------------------------------------------------------------------------------------------


def _rss_kib(pids: list[int]) -> dict[int, int]:
    sizes = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        sizes[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return sizes


def measure_export(master_pid: int) -> dict:
    """Stream every signal as the administrator; rows per second and the largest growth of a worker's memory."""
    workers = [int(pid) for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()]
    before = _rss_kib(workers)
    peak = dict(before)
    streaming = threading.Event()
    streaming.set()

    def sample():
        while streaming.is_set():
            for pid, size in _rss_kib(workers).items():
                peak[pid] = max(peak.get(pid, 0), size)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    admin = Session("bench.admin")
    started = time.monotonic()
    response = admin.get("/reports/export/signals.csv")
    rows = -1  # the header
    while chunk := response.read(1 << 16):
        rows += chunk.count(b"\n")  # one per row: the synthetic texts hold no line breaks
    seconds = time.monotonic() - started
    streaming.clear()
    sampler.join()
    extra = max((peak[pid] - before.get(pid, peak[pid]) for pid in peak), default=0) / 1024
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds, "extra_mb": extra}


# --- the report -------------------------------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024**2
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import django

    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {postgres}"
    )


def table(pages: list[Page], bare_rps: float, export: dict | None) -> list[str]:
    lines = [
        "| page | req/s | p50 ms | p95 ms | p99 ms | failed | of bare view | queries | indexes | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for page in pages:
        r = page.result
        share = r["rps"] / bare_rps
        targets = []
        if page.target_p95_ms:
            targets.append(f"p95 ≤ {page.target_p95_ms} ms: {'met' if r['p95'] <= page.target_p95_ms else 'MISSED'}")
        if page.user:
            targets.append(f"≥ 40%: {'met' if share >= 0.4 else 'MISSED'}")
        scans = "yes" if not r["scans"] else "seq scan of " + ", ".join(r["scans"])
        lines.append(
            f"| {page.name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['bad']} | {share:.0%} | "
            f"{r['queries']} | {scans} | {'; '.join(targets)} |"
        )
    if export:
        met = export["rows_per_s"] >= 20_000 and export["extra_mb"] < 100
        lines += [
            "",
            f"CSV export of all signals (administrator): {export['rows']:,} rows in {export['seconds']:.1f} s = "
            f"{export['rows_per_s']:,.0f} rows/s; a worker's memory grew by {export['extra_mb']:.0f} MB "
            f"(target ≥ 20,000 rows/s and < 100 MB: {'met' if met else 'MISSED'}).",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=int(os.environ.get("BENCH_SIGNALS", 1_000_000)))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 15)))
    parser.add_argument("--connections", type=int, default=10)
    # One gunicorn process per core: PostgreSQL and wrk share these cores, and on two cores 2 processes served the
    # list faster than 3, 4 or 6 (93, 91, 85 and 79 req/s; p95 126, 153, 169 and 378 ms; 4 December 2026).
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()

    url = prepare_database(os.environ["DATABASE_URL"], args.signals, dict(os.environ))
    setup_django(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "meedoen.bench.settings", "DEBUG": "false"}
    todo = pages()
    for page in todo:
        page.result["queries"], page.result["scans"] = queries_and_indexes(page) if page.user else (0, [])
    with server(env, args.workers) as gunicorn:
        sessions = {page.user: Session(page.user) for page in todo if page.user}
        for page in todo:
            cookie = sessions[page.user].cookie if page.user else None
            if page.user:
                for path in page.paths[:3]:  # warm up, and make sure the session sees the page
                    sessions[page.user].get(path).read()
            print(f"  {page.name} …", flush=True)
            page.result.update(run_wrk(page.paths, cookie, args.duration, args.connections))
        print("  CSV export of all signals …", flush=True)
        export = measure_export(gunicorn.pid)
    lines = table(todo, todo[0].result["rps"], export)
    header = [
        f"Measured {datetime.date.today():%Y-%m-%d} on {machine()}.",
        f"{args.signals:,} signals (`seed_scale`); gunicorn with {args.workers} sync workers, DEBUG off; wrk with "
        f"{args.connections} connections for {args.duration} s per page, on the same machine.",
        "",
    ]
    print("\n".join(header + lines))
    if not args.no_write:
        write_report(header + lines)


def write_report(lines: list[str]) -> None:
    """Replace the measured part of docs/benchmarks.md, between its markers; the rest is written by hand."""
    path = BASE_DIR / "docs" / "benchmarks.md"
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    path.write_text(before + start + "\n" + "\n".join(lines) + "\n" + end + after)
    print(f"Written to {path.relative_to(BASE_DIR)}.")


if __name__ == "__main__":
    main()
