"""What the apps' `scale` modules share while `seed_scale` builds a large synthetic data set.

The set is a federation of many municipalities rather than one city grown absurdly dense: the number of districts
grows with the number of signals (2,500 signals per district over the history, ten times the real project's rate),
so that each overleg's agenda, each brigadier's load and each meeting place's visitors stay workable, only many
times over. The big tables are made by set-based SQL in PostgreSQL; Python makes what needs it (encrypted fields,
the access log's hash chain).
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from functools import cache

from django.db import connection
from django.utils import timezone

from meedoen.core.workdays import add_working_days, is_working_day

SIGNALS_PER_DISTRICT = 2_500
DISTRICTS_PER_REGION = 10  # one "city": its organisations, brigade, meeting places and coordinator
STAGED_ACCESS_LOG = "scale_access_log"  # a temporary table; the privacy app chains its rows into the access log
CALENDAR = "scale_day"  # a temporary table: every day of the history with its working-day arithmetic


@dataclass
class Scale:
    signals: int
    years: int
    seed: int
    stdout: object
    rng: random.Random = field(init=False)
    now: datetime.datetime = field(init=False)
    today: datetime.date = field(init=False)
    start: datetime.date = field(init=False)
    started: float = field(init=False)

    def __post_init__(self):
        self.started = time.monotonic()
        self.rng = random.Random(self.seed)
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.today = timezone.localdate(self.now)
        self.start = self.today - datetime.timedelta(days=round(365.25 * self.years))

    @property
    def districts(self) -> int:
        return max(DISTRICTS_PER_REGION, -(-self.signals // SIGNALS_PER_DISTRICT))

    def say(self, text: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:5.0f} s] {text}")
        self.stdout.flush()

    def stage_access_log(self, select_sql: str, params=()) -> None:
        """Add access-log rows from a SELECT of (at, user_id, resident_id, object_type, object_id, action)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {STAGED_ACCESS_LOG} (at, user_id, resident_id, object_type, object_id, action) "
                + select_sql,
                params,
            )

    def create_staging(self) -> None:
        """The temporary tables the apps' SQL works with: the staged access log, and the calendar in which
        `wd_index` counts the working days up to and including `day` (so that a difference of two is the service's
        `working_days_between`) and `due10`/`due20` are `add_working_days(day, 10 or 20)`."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGED_ACCESS_LOG} (at timestamptz NOT NULL, user_id bigint, "
                "resident_id bigint, object_type text NOT NULL, object_id text NOT NULL, action text NOT NULL)"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE {CALENDAR} (day date PRIMARY KEY, working boolean NOT NULL, "
                "wd_index integer NOT NULL, due10 date NOT NULL, due20 date NOT NULL)"
            )
            end = self.today + datetime.timedelta(days=200)
            count, rows = 0, []
            for offset in range((end - self.start).days + 1):
                day = self.start + datetime.timedelta(days=offset)
                count += is_working_day(day)
                rows.append((day, is_working_day(day), count, plus_working_days(day, 10), plus_working_days(day, 20)))
            cursor.executemany(f"INSERT INTO {CALENDAR} VALUES (%s, %s, %s, %s, %s)", rows)

    def working_days(self) -> tuple[datetime.date, ...]:
        """The working days of the history, up to yesterday."""
        return working_days(self.start, self.today - datetime.timedelta(days=1))


def aware(day: datetime.date, minutes: int) -> datetime.datetime:
    """`minutes` after midnight on `day`, in the site's time zone."""
    moment = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=minutes)
    return timezone.make_aware(moment)


@cache
def working_days(start: datetime.date, end: datetime.date) -> tuple[datetime.date, ...]:
    """The working days from start up to and including end."""
    days = (start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1))
    return tuple(day for day in days if is_working_day(day))


@cache
def plus_working_days(start: datetime.date, days: int) -> datetime.date:
    return add_working_days(start, days)
