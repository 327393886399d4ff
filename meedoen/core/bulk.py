"""Bulk loading for large synthetic data sets (`seed_scale`): rows streamed into PostgreSQL with COPY.

Much faster than `bulk_create` for millions of rows, in chunks so that memory stays flat. Rows bypass the model's
field conversion: encrypted fields must be given encrypted, ids are handed out beforehand so that rows can point at
each other before any of them is written.
"""

import io
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from django.db import connection

CHUNK_ROWS = 50_000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


NULL = r"\N"


def _plain(value) -> str:
    return NULL if value is None else str(value)


def _escaped(value) -> str:
    return NULL if value is None else str(value).translate(_ESCAPES)


def _iso(value) -> str:
    return NULL if value is None else value.isoformat()


def _boolean(value) -> str:
    return NULL if value is None else "t" if value else "f"


def _json(value) -> str:
    return NULL if value is None else json.dumps(value).translate(_ESCAPES)


def _array(value) -> str:
    if value is None:
        return NULL
    items = ('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value)
    return ("{" + ",".join(items) + "}").translate(_ESCAPES)


def _converter(field):
    """How COPY's text format wants a value of this field; chosen once per column, not per value."""
    kind = field.get_internal_type()
    if kind in ("DateTimeField", "DateField", "TimeField"):
        return _iso
    if kind == "BooleanField":
        return _boolean
    if kind == "JSONField":
        return _json
    if kind == "ArrayField":
        return _array
    if field.is_relation or kind.endswith(("IntegerField", "AutoField")):
        return _plain
    return _escaped


def _remembering(convert, limit: int = 2000):
    """The converter, remembering its answers for values that repeat (a user, a type, a moment shared by a batch):
    a dictionary look-up costs less than converting again."""
    seen: dict = {}

    def remembered(value):
        try:
            return seen[value]
        except KeyError:
            text = convert(value)
            if len(seen) < limit:
                seen[value] = text
            return text
        except TypeError:  # unhashable: a list or a dictionary
            return convert(value)

    return remembered


def columns(model, fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def copy_rows(model, fields: Sequence[str], rows: Iterable[Sequence], *, table: str | None = None) -> int:
    """Write `rows` (tuples in the order of `fields`) into the model's table with COPY. Returns the row count."""
    table = table or model._meta.db_table
    statement = f'COPY "{table}" ({", ".join(columns(model, fields))}) FROM STDIN'
    converters = [_remembering(_converter(model._meta.get_field(name))) for name in fields]
    written = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, CHUNK_ROWS)):
            # strict: every row has a value for every field
            by_column = zip(converters, zip(*chunk, strict=True), strict=True)
            texts = [_column(convert, column) for convert, column in by_column]
            _flush(cursor, statement, "".join("\t".join(line) + "\n" for line in zip(*texts, strict=True)))
            written += len(chunk)
    return written


def _column(convert, values: tuple) -> list[str]:
    """A column as COPY text, converted a column at a time: in a batch of access-log rows most columns hold one
    value (the user, the moment, the action), converted once."""
    # Equal and of one type: 1, 1.0 and True are equal in Python but not the same text.
    if values.count(values[0]) == len(values) and len(set(map(type, values))) == 1:
        return [convert(values[0])] * len(values)
    return list(map(convert, values))


def _flush(cursor, statement: str, text: str) -> None:
    if text:
        started = time.monotonic()
        cursor.connection.cursor().copy_expert(statement, io.StringIO(text))
        if connection.queries_logged:  # counted like any query (DEBUG, and the tests' query counts)
            connection.queries_log.append({"sql": statement, "time": f"{time.monotonic() - started:.3f}"})


def reserve_ids(model, count: int) -> int:
    """Take `count` ids from the table's sequence and return the first; rows written with them may then refer to
    each other. Later inserts through the ORM continue after them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
    return first


@contextmanager
def checks_afterwards() -> Iterator[None]:
    """Load without foreign keys and secondary indexes, then put them back.

    A foreign key checks each row as it is written, one query per row; added afterwards it checks all rows in one
    pass, and an index is built much faster at once than row by row. Data that does not fit fails loudly when the
    key is added again. Unique indexes stay, so duplicates are refused as they come.
    """
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary AND c.oid IS NULL",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
