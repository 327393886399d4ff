"""Signaleringsoverleg part of `seed_scale`: every district's meetings, its signals with their residents,
discussions, actions and timelines, and the access-log rows that work would have written.

Meetings and residents (encrypted fields) are made in Python; signals, discussions, actions and timeline events by
set-based SQL in PostgreSQL, which makes a million rows in seconds. The SQL follows the same story as the demo:
a signal is discussed in the first meeting a day or more after it was reported (sometimes one later), then every
other meeting; most are closed after one to three discussions, old ones almost always; open ones are still being
followed up in recent meetings.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import connection

from meedoen.accounts.models import District, DistrictMembership, MembershipRole
from meedoen.core.bulk import copy_rows, reserve_ids
from meedoen.core.scale import CALENDAR, Scale, aware
from meedoen.privacy.scale import ResidentMaker
from signalering.models import ConcernCategory, Meeting, MeetingSeries, Signal, default_purpose
from signalering.workflow import Outcome

MEETING_WEEKS = 2
AHEAD_WEEKS = 8  # planned meetings after today
RUNNING = datetime.timedelta(hours=3)  # how long a meeting may last
RESIDENTS_PER_SIGNAL = 0.8  # the rest are signals about someone already known (or only an address: 8%)
DISTRICTS_PER_BATCH = 25  # residents are made and written this many districts at a time
OUTCOMES = {
    Outcome.REFERRED_TO_CARE: 30,
    Outcome.REFERRED_TO_ACTIVITY: 12,
    Outcome.BRIGADE: 8,
    Outcome.NO_ACTION_NEEDED: 15,
    Outcome.HANDLED_ELSEWHERE: 25,
    Outcome.NOT_REACHED: 10,
}
LEGAL_BASES = {
    Signal.LegalBasis.PUBLIC_TASK: 45,
    Signal.LegalBasis.CONSENT: 30,
    Signal.LegalBasis.LEGITIMATE_INTEREST: 20,
    Signal.LegalBasis.VITAL_INTEREST: 5,
}
INFORMED = {"yes": 50, "not_yet": 30, "no": 20}
URGENCIES = {Signal.Urgency.NORMAL: 80, Signal.Urgency.HIGH: 15, Signal.Urgency.URGENT: 5}
OPENINGS = [
    "Buren maken zich zorgen: de bewoner komt nauwelijks buiten.",
    "De post stapelt zich op en de bewoner reageert niet op aanbellen.",
    "Huurachterstand van drie maanden; geen reactie op brieven.",
    "Verward gedrag in het trappenhuis, de bewoner lijkt de weg kwijt.",
    "Bewoner meldt zich vaak bij de huisarts met vage klachten en lijkt eenzaam.",
    "Overlast door geluid 's nachts; de bewoner zegt stemmen te horen.",
    "Vervuilde woning gezien bij een reparatieverzoek.",
    "Na ontslag uit de kliniek geen contact meer met de behandelaar.",
]
NOTES = [
    "Besproken; de wijkagent kent de bewoner van eerdere meldingen.",
    "Signaal herkend door de GGZ, geen actuele behandeling.",
    "Nog geen contact gelukt, opnieuw proberen.",
    "Bewoner staat open voor een gesprek met het wijkteam.",
]
DECISIONS = [
    "Regievoerder legt contact en koppelt terug in het volgende overleg.",
    "Huisbezoek samen met de woningcorporatie.",
    "Inzetverzoek Vliegende Brigade indienen.",
    "Monitoren; opnieuw bespreken over een maand.",
]
ACTIONS = ["Huisbezoek afleggen", "Contact opnemen met de huisarts", "Betalingsregeling voorstellen", "Terugkoppelen"]


def _spread(weights: dict) -> list[str]:
    """A list in which each value appears as often as its weight: a random element is a weighted draw."""
    return [str(value) for value, weight in weights.items() for _ in range(weight)]


def seed(scale: Scale) -> None:
    districts = list(District.objects.order_by("pk").prefetch_related("neighbourhoods"))
    members: dict[int, list[tuple[int, int]]] = defaultdict(list)  # district -> [(user, organisation)]
    chairs: dict[int, int] = {}
    memberships = DistrictMembership.objects.order_by("district", "user")
    for district, user, organisation, role in memberships.values_list("district", "user", "user__organisation", "role"):
        members[district].append((user, organisation))
        if role == MembershipRole.CHAIR:
            chairs[district] = user
    meetings = _meetings(scale, districts)
    per_district, extra = divmod(scale.signals, len(districts))
    counts = [per_district + (index < extra) for index in range(len(districts))]
    first_signal = reserve_ids(Signal, scale.signals)
    residents = ResidentMaker(scale)
    rows, offset = [], 0
    days = scale.working_days()
    for index, (district, count) in enumerate(zip(districts, counts, strict=True)):
        # A resident is made on the day of their first signal (see the SQL below: signal j is about resident 0.8 j).
        wanted = int((count - 1) * RESIDENTS_PER_SIGNAL) + 1
        first_days = [days[min(int(len(days) * ((r / RESIDENTS_PER_SIGNAL) / count) ** 0.8), len(days) - 1)]
                      for r in range(wanted)]  # fmt: skip
        first_resident = residents.block([aware(day, 8 * 60) for day in first_days])
        first_meeting, planned, held, first_at = meetings[district.pk]
        seats = members[district.pk]
        rows.append((district.pk, count, first_signal + offset, first_meeting, planned, held, first_at,
                     chairs[district.pk], [user for user, _ in seats], [org for _, org in seats],
                     [n.pk for n in district.neighbourhoods.all()], first_resident))  # fmt: skip
        offset += count
        if (index + 1) % DISTRICTS_PER_BATCH == 0:
            residents.write()
    residents.write()
    made = residents.written
    _plan(scale, rows)
    scale.say(f"  {made:,} residents; planning {scale.signals:,} signals in SQL …")
    _write(scale, first_signal)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM signalering_discussion WHERE signal_id >= %s", [first_signal])
        (discussions,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM signalering_action WHERE signal_id >= %s", [first_signal])
        (actions,) = cursor.fetchone()
        cursor.execute("DROP TABLE scale_district, scale_signal, scale_plan")
    scale.say(
        f"Signaleringsoverleg: {scale.signals:,} signals, {sum(m[1] for m in meetings.values()):,} meetings, "
        f"{discussions:,} discussions, {actions:,} actions, {made:,} residents."
    )


def _meetings(scale: Scale, districts) -> dict[int, tuple[int, int, int, datetime.datetime]]:
    """A meeting every two weeks in every district, from the start of the history to some weeks ahead; per district
    (first id, count, how many were held, when the first was). Ids follow the dates within a district."""
    end = scale.today + datetime.timedelta(weeks=AHEAD_WEEKS)
    held_before = scale.now - RUNNING  # a meeting that started a moment ago is not over yet
    series, rows, found = [], [], {}
    for index, district in enumerate(districts):
        weekday = 1 + index % 3  # Tuesday to Thursday
        minutes = 9 * 60 + 30 * (index % 4)
        first = scale.start + datetime.timedelta(days=(weekday - scale.start.weekday()) % 7 + 7 * (index % 2))
        series.append(
            MeetingSeries(
                district=district,
                weekday=weekday,
                interval_weeks=MEETING_WEEKS,
                first_date=first,
                start_time=datetime.time(minutes // 60, minutes % 60),
                location=f"Wijkteamkantoor {district.name}",
            )
        )
        day, dates = first, []
        while day <= end:
            dates.append(aware(day, minutes))
            day += datetime.timedelta(weeks=MEETING_WEEKS)
        found[district.pk] = (len(rows), len(dates), sum(moment < held_before for moment in dates), dates[0])
        rows += [(district.pk, moment) for moment in dates]
    MeetingSeries.objects.bulk_create(series)
    first_id = reserve_ids(Meeting, len(rows))
    planned, held = Meeting.State.PLANNED, Meeting.State.HELD
    copy_rows(
        Meeting,
        ["id", "district", "starts_at", "location", "state", "minutes", "agenda_sent_at"],
        (
            (first_id + index, district, moment, "", held if moment < held_before else planned, "",
             moment - datetime.timedelta(days=2) if moment - datetime.timedelta(days=2) < scale.now else None)
            for index, (district, moment) in enumerate(rows)
        ),
    )  # fmt: skip
    return {pk: (first_id + offset, count, held, first) for pk, (offset, count, held, first) in found.items()}


def _plan(scale: Scale, districts: list[tuple]) -> None:
    """Per signal: when it was reported, about whom, by whom, in which meetings it was discussed and whether that
    closed it; as temporary tables for the inserts that follow."""
    days = scale.working_days()
    params = {"tz": settings.TIME_ZONE, "now": scale.now, "days": list(days), "w": len(days), "seed": scale.seed}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(scale.seed % 1000) / 1000])
        cursor.execute(
            "CREATE TEMPORARY TABLE scale_district (district_id bigint PRIMARY KEY, signals integer, "
            "signal_first bigint, first_meeting bigint, meetings integer, held integer, first_meeting_at timestamptz, "
            "chair bigint, members bigint[], organisations bigint[], neighbourhoods bigint[], resident_first bigint)"
        )
        cursor.executemany(
            "INSERT INTO scale_district VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", districts
        )
        cursor.execute(
            f"""CREATE TEMPORARY TABLE scale_signal AS
            SELECT d.district_id, d.signal_first + g.j AS id, g.j, c.day,
                   (c.day + make_interval(mins => 510 + floor(random() * 495)::int)) AT TIME ZONE %(tz)s AS created_at,
                   CASE WHEN random() >= 0.08 THEN d.resident_first + floor(g.j * {RESIDENTS_PER_SIGNAL})::bigint
                   END AS resident_id,
                   1 + floor(random() * cardinality(d.members))::int AS reporter_seat,
                   random() AS r_skip, random() AS r_close, random() AS r_count, random() AS r_outcome,
                   random() AS r_status, random() AS r_lead, random() AS r_late, random() AS r_category,
                   random() AS r_categories
            FROM scale_district d
            CROSS JOIN LATERAL generate_series(0, d.signals - 1) AS g(j)
            CROSS JOIN LATERAL (SELECT (%(days)s::date[])[
                1 + least(floor(%(w)s * power((g.j + random()) / d.signals, 0.8))::int, %(w)s - 1)] AS day) AS c""",
            params,
        )
        # i0: the first meeting a day after the report; m: the last n with meeting i0 + 2n held; k: discussions.
        cursor.execute(
            """CREATE TEMPORARY TABLE scale_plan AS
            SELECT s.*, a.i0, b.m, c.closing, e.k,
                   a.i0 + 2 * CASE WHEN c.closing OR e.k = 1 THEN e.k - 1 ELSE b.m END AS last_index
            FROM scale_signal s JOIN scale_district d USING (district_id)
            CROSS JOIN LATERAL (SELECT (s.r_skip < 0.15)::int + greatest(0, ceil(
                (extract(epoch FROM s.created_at - d.first_meeting_at) + 86400) / 1209600.0))::int AS i0) a
            CROSS JOIN LATERAL (SELECT CASE WHEN a.i0 < d.held THEN (d.held - 1 - a.i0) / 2 ELSE -1 END AS m) b
            CROSS JOIN LATERAL (SELECT extract(epoch FROM %(now)s - s.created_at) / 86400 AS age) x
            CROSS JOIN LATERAL (SELECT b.m >= 0 AND s.r_close < CASE WHEN x.age > 365 THEN 0.995
                WHEN x.age > 100 THEN 0.93 WHEN x.age > 50 THEN 0.6 ELSE 0.3 END AS closing) c
            CROSS JOIN LATERAL (SELECT CASE WHEN c.closing THEN least(b.m + 1, (ARRAY[1, 1, 2, 3])[
                1 + floor(s.r_count * 4)::int]) ELSE least(b.m + 1, 4) END AS k) e""",
            params,
        )


def _write(scale: Scale, first: int) -> None:
    params = {
        "tz": settings.TIME_ZONE,
        "now": scale.now,
        "today": scale.today,
        "first": first,
        "purpose": default_purpose(),
        "openings": OPENINGS,
        "notes": NOTES,
        "decisions": DECISIONS,
        "actions": ACTIONS,
        "outcomes": _spread(OUTCOMES),
        "bases": _spread(LEGAL_BASES),
        "informed": _spread(INFORMED),
        "urgencies": [int(value) for value in _spread(URGENCIES)],
        "categories": list(ConcernCategory.objects.filter(active=True).values_list("pk", flat=True)),
    }
    statements = [
        # The signals. A discussion's meeting is the district's first meeting id plus its index.
        f"""INSERT INTO signalering_signal (id, district_id, neighbourhood_id, urgency, description, resident_id,
            reporter_id, source_organisation_id, legal_basis, purpose, resident_informed, status, outcome, lead_id,
            next_step, next_step_due, first_discussion_due, first_discussed_at, first_discussion_working_days,
            created_at, updated_at, closed_at, version)
        SELECT p.id, p.district_id, {_pick("d.neighbourhoods")}, {_pick("%(urgencies)s::int[]")},
               {_pick("%(openings)s::text[]")}, p.resident_id, d.members[p.reporter_seat],
               d.organisations[p.reporter_seat], {_pick("%(bases)s::text[]")}, %(purpose)s,
               {_pick("%(informed)s::text[]")},
               CASE WHEN p.closing THEN 'closed' WHEN p.k > 0 AND p.r_status < 0.7 THEN 'in_progress'
                    WHEN p.k > 0 THEN 'monitoring' WHEN p.i0 < d.meetings AND p.r_status < 0.5 THEN 'scheduled'
                    ELSE 'new' END,
               CASE WHEN p.closing THEN (%(outcomes)s::text[])[1 + floor(p.r_outcome * 100)::int] ELSE '' END,
               CASE WHEN p.k > 0 THEN d.members[1 + floor(p.r_lead * cardinality(d.members))::int] END,
               CASE WHEN p.k > 0 AND NOT p.closing THEN 'Vervolg in het overleg' ELSE '' END,
               CASE WHEN p.k > 0 AND NOT p.closing THEN last_day.due20 END,
               reported.due10, first_meeting.starts_at, first_day.wd_index - reported.wd_index,
               p.created_at, coalesce(y.closed_at, last_meeting.starts_at, p.created_at), y.closed_at, 1 + 3 * p.k
        FROM scale_plan p JOIN scale_district d USING (district_id)
        JOIN {CALENDAR} reported ON reported.day = p.day
        LEFT JOIN signalering_meeting first_meeting ON p.k > 0 AND first_meeting.id = d.first_meeting + p.i0
        LEFT JOIN signalering_meeting last_meeting ON p.k > 0 AND last_meeting.id = d.first_meeting + p.last_index
        LEFT JOIN {CALENDAR} first_day ON first_day.day = (first_meeting.starts_at AT TIME ZONE %(tz)s)::date
        LEFT JOIN {CALENDAR} last_day ON last_day.day = (last_meeting.starts_at AT TIME ZONE %(tz)s)::date
        CROSS JOIN LATERAL (SELECT CASE WHEN p.closing THEN least(%(now)s, last_meeting.starts_at
            + make_interval(mins => 20 + floor(p.r_late * 70)::int)
            + CASE WHEN p.r_late < 0.35 THEN make_interval(days => 3 + floor(p.r_late * 50)::int)
                   ELSE interval '0' END) END AS closed_at) y""",
        """INSERT INTO signalering_signal_categories (signal_id, concerncategory_id)
        SELECT p.id, (%(categories)s::bigint[])[1 + (r.first + t) %% cardinality(%(categories)s::bigint[])]
        FROM scale_plan p
        CROSS JOIN LATERAL (SELECT floor(p.r_category * cardinality(%(categories)s::bigint[]))::int AS first,
                                   (ARRAY[1, 1, 1, 2, 2, 3])[1 + floor(p.r_categories * 6)::int] AS many) r
        CROSS JOIN LATERAL generate_series(0, r.many - 1) t""",
        f"""INSERT INTO signalering_discussion (meeting_id, signal_id, notes, decision, created_by_id, updated_at)
        SELECT meeting.id, p.id, {_pick("%(notes)s::text[]")}, {_pick("%(decisions)s::text[]")}, d.chair,
               meeting.starts_at + make_interval(mins => 5 + 5 * n)
        FROM scale_plan p JOIN scale_district d USING (district_id)
        CROSS JOIN LATERAL generate_series(0, p.k - 1) n
        JOIN signalering_meeting meeting
          ON meeting.id = d.first_meeting + p.i0 + 2 * CASE WHEN p.closing OR n = 0 THEN n ELSE p.m - (p.k - 1 - n) END
        ORDER BY p.id, n""",
        f"""INSERT INTO signalering_action (signal_id, discussion_id, description, owner_id, due, done_at,
            created_by_id, created_at)
        SELECT s.id, x.id, {_pick("%(actions)s::text[]")},
               CASE WHEN random() < 0.7 AND s.lead_id IS NOT NULL THEN s.lead_id ELSE {_pick("d.members")} END,
               due.due10,
               CASE WHEN s.closed_at IS NOT NULL OR (due.due10 < %(today)s AND random() < 0.85)
                    THEN least((due.due10 + time '11:00') AT TIME ZONE %(tz)s, coalesce(s.closed_at, %(now)s)) END,
               x.created_by_id, x.updated_at
        FROM signalering_discussion x JOIN signalering_signal s ON s.id = x.signal_id
        JOIN scale_district d ON d.district_id = s.district_id
        JOIN signalering_meeting m ON m.id = x.meeting_id
        JOIN {CALENDAR} due ON due.day = (m.starts_at AT TIME ZONE %(tz)s)::date
        WHERE x.signal_id >= %(first)s AND random() < 0.6
        ORDER BY x.id""",
        *EVENTS,
        # What the work would have logged: the report, the chair reading and saving the item in every meeting, and
        # the lead reading it the day after the first discussion; about five rows per signal.
        """INSERT INTO scale_access_log (at, user_id, resident_id, object_type, object_id, action)
        SELECT created_at, reporter_id, resident_id, 'signal', id::text, 'create'
        FROM signalering_signal WHERE id >= %(first)s
        UNION ALL
        SELECT d.updated_at - a.before, d.created_by_id, s.resident_id, 'signal', s.id::text, a.action
        FROM signalering_discussion d JOIN signalering_signal s ON s.id = d.signal_id
        CROSS JOIN (VALUES ('read', interval '2 minutes'), ('update', interval '0')) AS a(action, before)
        WHERE s.id >= %(first)s
        UNION ALL
        SELECT s.first_discussed_at + interval '1 day', s.lead_id, s.resident_id, 'signal', s.id::text, 'read'
        FROM signalering_signal s WHERE s.id >= %(first)s AND s.lead_id IS NOT NULL""",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)


def _pick(array: str) -> str:
    """SQL for a random element of an array."""
    return f"({array})[1 + floor(random() * cardinality({array}))::int]"


USER_NAME = "COALESCE(NULLIF(btrim(u.first_name || ' ' || u.last_name), ''), u.username)"  # as str(user) gives it
# The timelines, as the services write them: reported, discussed and decision, lead, action, closed.
EVENTS = [
    """INSERT INTO signalering_event (signal_id, at, actor_id, kind, text, data)
    SELECT id, created_at, reporter_id, 'reported', '', jsonb_build_object('urgency', urgency)
    FROM signalering_signal WHERE id >= %(first)s""",
    """INSERT INTO signalering_event (signal_id, at, actor_id, kind, text, data)
    SELECT d.signal_id, d.updated_at, d.created_by_id, e.kind, e.text, jsonb_build_object('meeting', d.meeting_id)
    FROM signalering_discussion d
    CROSS JOIN LATERAL (VALUES ('discussed', ''), ('decision', d.decision)) AS e(kind, text)
    WHERE d.signal_id >= %(first)s""",
    f"""INSERT INTO signalering_event (signal_id, at, actor_id, kind, text, data)
    SELECT s.id, s.first_discussed_at + interval '6 minutes', d.chair, 'lead', {USER_NAME},
           jsonb_build_object('user_id', s.lead_id)
    FROM signalering_signal s JOIN accounts_user u ON u.id = s.lead_id
    JOIN scale_district d ON d.district_id = s.district_id WHERE s.id >= %(first)s""",
    f"""INSERT INTO signalering_event (signal_id, at, actor_id, kind, text, data)
    SELECT a.signal_id, a.created_at, a.created_by_id, 'action', a.description,
           jsonb_build_object('owner', {USER_NAME}, 'due', a.due, 'action', a.id)
    FROM signalering_action a JOIN accounts_user u ON u.id = a.owner_id WHERE a.signal_id >= %(first)s""",
    """INSERT INTO signalering_event (signal_id, at, actor_id, kind, text, data)
    SELECT id, closed_at, lead_id, 'status', '',
           jsonb_build_object('old', 'in_progress', 'new', 'closed', 'outcome', outcome)
    FROM signalering_signal WHERE id >= %(first)s AND status = 'closed'""",
]
