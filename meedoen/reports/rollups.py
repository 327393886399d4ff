"""Counts the database keeps up to date itself, for figures that would otherwise read too many rows (ConcernMonth)."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

TRIGGER = "reports_concern_month"


def _zone() -> str:
    """The site's time zone (the figures' periods are local days), checked before it is written into SQL."""
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", settings.TIME_ZONE):
        raise ValueError(f"Unexpected TIME_ZONE {settings.TIME_ZONE!r}")
    return settings.TIME_ZONE


def create_trigger_sql() -> str:
    """A signal's concerns change ConcernMonth as they are given and taken away, in the same transaction."""
    month = f"date_trunc('month', s.created_at AT TIME ZONE '{_zone()}')::date"
    return f"""
        CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO reports_concernmonth (month, district_id, category_id, signals)
                SELECT {month}, s.district_id, NEW.concerncategory_id, 1
                FROM signalering_signal s WHERE s.id = NEW.signal_id
                ON CONFLICT (month, district_id, category_id)
                DO UPDATE SET signals = reports_concernmonth.signals + 1;
            ELSE
                UPDATE reports_concernmonth c SET signals = c.signals - 1
                FROM signalering_signal s
                WHERE s.id = OLD.signal_id AND c.month = {month} AND c.district_id = s.district_id
                  AND c.category_id = OLD.concerncategory_id;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE ON signalering_signal_categories
        FOR EACH ROW EXECUTE FUNCTION {TRIGGER}();
    """  # noqa: S608 - no input: constant names and the checked time zone


DROP_TRIGGER_SQL = (
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON signalering_signal_categories; DROP FUNCTION IF EXISTS {TRIGGER}();"
)


def rebuild() -> None:
    """Count ConcernMonth afresh from the signals (after a bulk load that ran without the trigger)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_concernmonth")
        cursor.execute(
            """INSERT INTO reports_concernmonth (month, district_id, category_id, signals)
            SELECT date_trunc('month', s.created_at AT TIME ZONE %s)::date, s.district_id, sc.concerncategory_id,
                   count(*)
            FROM signalering_signal_categories sc JOIN signalering_signal s ON s.id = sc.signal_id
            GROUP BY 1, 2, 3""",
            [_zone()],
        )


@contextmanager
def trigger_off() -> Iterator[None]:
    """Load signals in bulk without counting each concern on its way in; `rebuild` counts them afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE signalering_signal_categories DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE signalering_signal_categories ENABLE TRIGGER {TRIGGER}")
