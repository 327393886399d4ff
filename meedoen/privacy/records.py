"""What each pillar keeps about residents, and how it forgets: the one retention scheme.

The shared base does not import the pillars; each pillar registers a `Keeper` for every kind of record it holds
from its AppConfig.ready() (as the home page panels do in core/attention.py). Retention, erasure and the
subject-access export then work through this registry:

- `sweep(now=)` anonymises (or deletes) what is past its period and returns how many records it changed;
- `live_records()` are the records that still need their resident: a resident none of them points at loses the
  identifying fields;
- `blockers(resident=)` are reasons, in words, why the resident cannot be erased yet (an open record);
- `erase(resident=, now=, user=)` anonymises every record about the resident now and returns how many;
- `export(resident=)` is what the pillar holds about the resident, for the subject-access export.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass
class Table:
    """Rows below a record: a signal's timeline, a visit request's contacts."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)

    def as_json(self) -> list[dict]:
        return [
            {column.key: plain(value) for column, value in zip(self.columns, row, strict=True)} for row in self.rows
        ]

    def shown_rows(self) -> list[list[str]]:
        return [[shown(value) for value in row] for row in self.rows]


@dataclass
class Record:
    """One record of the export: a title, its fields as (key, label, value), and tables under it. `ref` is the
    (object type, id) the access log names when the record is exported."""

    title: str
    ref: tuple[str, Any]
    fields: list[tuple[str, str, Any]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def as_json(self) -> dict:
        data = {key: plain(value) for key, _label, value in self.fields}
        for table in self.tables:
            data[table.key] = table.as_json()
        return data

    def shown_fields(self) -> list[tuple[str, str]]:
        return [(label, shown(value)) for _key, label, value in self.fields]


@dataclass
class Section:
    key: str
    title: str
    records: list[Record] = field(default_factory=list)
    note: str = ""

    def as_json(self) -> dict:
        data: dict[str, Any] = {"title": self.title, "records": [record.as_json() for record in self.records]}
        if self.note:
            data["note"] = self.note
        return data


def plain(value):
    """A value as JSON can hold it: dates as ISO strings (times in the site's time zone), lazy texts as text."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return str(value)


def shown(value) -> str:
    """A value as a person reads it: dates and times in the site's time zone and format, "–" for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _none(**_) -> int:
    return 0


@dataclass(frozen=True)
class Keeper:
    kind: str
    label: Any  # a lazy text: the kind of record, for the retention screen
    period: Callable[[], str]  # how long it is kept, in words
    sweep: Callable[..., int]
    live_records: Callable[[], Any] | None = None  # a queryset of records with a `resident` foreign key
    blockers: Callable[..., list[str]] = lambda **_: []
    erase: Callable[..., int] = _none
    export: Callable[..., list[Section]] = lambda **_: []


_keepers: dict[str, Keeper] = {}


def register(keeper: Keeper) -> Keeper:
    _keepers[keeper.kind] = keeper
    return keeper


def keepers() -> list[Keeper]:
    return list(_keepers.values())
