"""Counts the database keeps up to date itself, for figures that would otherwise read too many rows (ConcernMonth).

The triggers' months are taken in the time zone that was set when they were created (migration 0002). After a
change of TIME_ZONE, create them again and count afresh: `DROP_TRIGGER_SQL`, `create_trigger_sql()`, `rebuild()`.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

TRIGGER = "reports_concern_month"  # on the signals' concerns
MOVED = "reports_concern_month_moved"  # on the signals


def _zone() -> str:
    """The site's time zone (the figures' periods are local days), checked before it is written into SQL."""
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", settings.TIME_ZONE):
        raise ValueError(f"Unexpected TIME_ZONE {settings.TIME_ZONE!r}")
    return settings.TIME_ZONE


def _month(moment: str) -> str:
    return f"date_trunc('month', {moment} AT TIME ZONE '{_zone()}')::date"


def create_trigger_sql() -> str:
    """ConcernMonth follows a signal's concerns as they are given and taken away, and the signal when its date or
    district is changed (which the app itself never does), in the same transaction."""
    upsert = "ON CONFLICT (month, district_id, category_id) DO UPDATE SET signals = reports_concernmonth.signals + 1"
    return f"""
        CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO reports_concernmonth (month, district_id, category_id, signals)
                SELECT {_month("s.created_at")}, s.district_id, NEW.concerncategory_id, 1
                FROM signalering_signal s WHERE s.id = NEW.signal_id
                {upsert};
            ELSE
                UPDATE reports_concernmonth c SET signals = c.signals - 1
                FROM signalering_signal s
                WHERE s.id = OLD.signal_id AND c.month = {_month("s.created_at")} AND c.district_id = s.district_id
                  AND c.category_id = OLD.concerncategory_id;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE ON signalering_signal_categories
        FOR EACH ROW EXECUTE FUNCTION {TRIGGER}();

        CREATE OR REPLACE FUNCTION {MOVED}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.district_id IS DISTINCT FROM NEW.district_id THEN
                UPDATE reports_concernmonth c SET signals = c.signals - 1
                FROM signalering_signal_categories sc
                WHERE sc.signal_id = OLD.id AND c.month = {_month("OLD.created_at")}
                  AND c.district_id = OLD.district_id AND c.category_id = sc.concerncategory_id;
                INSERT INTO reports_concernmonth (month, district_id, category_id, signals)
                SELECT {_month("NEW.created_at")}, NEW.district_id, sc.concerncategory_id, 1
                FROM signalering_signal_categories sc WHERE sc.signal_id = NEW.id
                {upsert};
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER {MOVED} AFTER UPDATE OF created_at, district_id ON signalering_signal
        FOR EACH ROW EXECUTE FUNCTION {MOVED}();
    """  # noqa: S608 - no input: constant names and the checked time zone


DROP_TRIGGER_SQL = (
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON signalering_signal_categories; DROP FUNCTION IF EXISTS {TRIGGER}(); "
    f"DROP TRIGGER IF EXISTS {MOVED} ON signalering_signal; DROP FUNCTION IF EXISTS {MOVED}();"
)


def rebuild() -> None:
    """Count ConcernMonth afresh from the signals (after a bulk load that ran without the trigger)."""
    with transaction.atomic(), connection.cursor() as cursor:
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
    statements = [("signalering_signal_categories", TRIGGER), ("signalering_signal", MOVED)]
    with connection.cursor() as cursor:
        for table, trigger in statements:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table, trigger in statements:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
