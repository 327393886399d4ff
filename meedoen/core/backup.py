"""Backups with pg_dump, and restores with pg_restore that prove themselves: row counts and checksums per table.

A backup is two files: `<name>.dump` (pg_dump's custom format: schema, data, sequences and the access log's
append-only trigger) and `<name>.json`, the manifest with per table its number of rows and a checksum of its
contents. A restore loads the dump into the configured database and compares every table with the manifest; any
difference fails the restore loudly.
"""

import json
import os
import shutil
import subprocess
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.db import connection

SUFFIX_DUMP, SUFFIX_MANIFEST = ".dump", ".json"


class BackupError(RuntimeError):
    pass


def tool(name: str) -> str:
    """pg_dump or pg_restore: from PG_BIN_DIR, else the embedded PostgreSQL's (16, which reads servers up to 16),
    else the PATH's."""
    candidates = [os.environ.get("PG_BIN_DIR", "")]
    try:
        import pgserver

        candidates.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin"))
    except ImportError:
        pass
    for folder in candidates:
        if folder and (Path(folder) / name).exists():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client or set PG_BIN_DIR.")
    return found


def _connection_args() -> tuple[list[str], dict]:
    """Command-line connection arguments and environment for the configured database (password via PGPASSWORD)."""
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--dbname", db["NAME"], "--username", db.get("USER") or "postgres"]
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host")  # the embedded server's socket is an option
    if host:
        args += ["--host", urllib.parse.unquote(host)]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    return args, env


def tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def manifest() -> dict[str, dict]:
    """Per table: rows, and a checksum that does not depend on row order (a sum of a hash of each row)."""
    found = {}
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(
                f"SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) FROM \"{table}\" t"  # noqa: S608 - our own table names
            )
            rows, checksum = cursor.fetchone()
            found[table] = {"rows": rows, "checksum": str(checksum)}
    return found


def backup(path: Path) -> tuple[Path, dict]:
    """Dump the database to `path` (.dump) and write its manifest beside it (.json). In one snapshot: the manifest
    is counted first, and pg_dump is asked to dump that same snapshot."""
    path = path.with_suffix(SUFFIX_DUMP)
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = _connection_args()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            counted = manifest()
            done = subprocess.run(
                [
                    tool("pg_dump"),
                    "--format",
                    "custom",
                    "--no-owner",
                    "--snapshot",
                    snapshot,
                    "--file",
                    str(path),
                    *args,
                ],
                env=env,
                capture_output=True,
                text=True,
            )
        finally:
            cursor.execute("ROLLBACK")
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    path.with_suffix(SUFFIX_MANIFEST).write_text(json.dumps({"tables": counted}, indent=1, sort_keys=True))
    return path, counted


def restore(path: Path) -> dict:
    """Load the dump into the configured database, replacing what is there, and check it against the manifest."""
    path = path.with_suffix(SUFFIX_DUMP)
    expected = json.loads(path.with_suffix(SUFFIX_MANIFEST).read_text())["tables"]
    args, env = _connection_args()
    connection.close()  # pg_restore drops the tables: no open transaction of ours may hold them
    done = subprocess.run(
        [tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
         *args, str(path)],
        env=env,
        capture_output=True,
        text=True,
    )  # fmt: skip
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    found = manifest()
    differences = {
        table: {"expected": expected.get(table), "found": found.get(table)}
        for table in sorted(set(expected) | set(found))
        if expected.get(table) != found.get(table)
    }
    if differences:
        raise BackupError(f"The restored database differs from the backup: {json.dumps(differences)}")
    return found
