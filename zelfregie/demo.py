"""Zelfregiecentrum part of the Leiden demo set: three meeting places with their hours and hosts, 18 months of
walk-in counts adding up to about 8000 visitors, activities with attendance and sign-ups, registered participants
and two visitors announced by the brigade.

Synthetic throughout: addresses, people and numbers are made up, drawn from a seeded random generator, with dates
relative to today. Rows are written directly, in bulk, instead of through the services (which write an access-log
row for every step): a demo should not fill the privacy officer's log with made-up accesses. The planning of the
coming weeks does go through the services, which log nothing.
"""

import datetime
import random
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db.models import Sum
from django.utils import timezone, translation

from meedoen.accounts.demo import DEMO_PASSWORD
from meedoen.accounts.models import District, Organisation, Role, User
from meedoen.accounts.services import user_create
from zelfregie import schedule
from zelfregie.models import (
    Activity,
    Closure,
    ExpectedVisitor,
    Location,
    LocationHost,
    Occurrence,
    Participant,
    Session,
    SignUp,
    WalkInHours,
)
from zelfregie.selectors import closed_days
from zelfregie.services import PLAN_WEEKS, consent_statement, occurrences_plan, sessions_plan

SEED = 2312  # any fixed number gives the same demo for the same day
PERIOD_DAYS = 548  # 18 months of history
TARGET_VISITORS = 8000  # walk-in visitors over the period, as in the real project ("8000+")
FEATURED_HOST = "gastvrouw"  # the accounts demo's host: Matilo's
COORDINATOR = "coordinator"  # the accounts demo's brigade coordinator announces the expected visitors
AFTERNOON = (datetime.time(13, 0), datetime.time(17, 0))


@dataclass(frozen=True)
class _Place:
    name: str
    slug: str
    district: str
    address: str
    phone: str
    description: str
    accessibility: str
    hours: tuple[tuple[int, datetime.time, datetime.time], ...]
    busy: float  # relative number of visitors per session
    host: tuple[str, str, str]  # username, first name, last name (the featured host comes from the accounts demo)


PLACES = [
    _Place(
        "Huis van de Buurt Matilo", "matilo", "Roodenburgerdistrict", "Lammenschansweg 130, 2313 DR Leiden",
        "071 000 0130",
        "Een huiskamer in de buurt, gerund door mensen met ervaring. Loop binnen voor koffie, een praatje of om "
        "mee te doen. Je hoeft niets te zeggen en niets te kunnen.",
        "Ingang op straatniveau, rolstoeltoegankelijk toilet. Rustige ruimte aan de achterkant.",
        tuple((day, *AFTERNOON) for day in range(6)), 1.35, (FEATURED_HOST, "", ""),
    ),
    _Place(
        "Ontmoetingsplek De Kooi", "de-kooi", "Leiden-Noord", "Kooilaan 12, 2315 KA Leiden", "071 000 0012",
        "Inloop in Leiden-Noord: samen koffie drinken, de krant lezen, in de moestuin werken.",
        "Drempel van 5 cm bij de ingang; toilet op de begane grond.",
        ((1, datetime.time(13, 30), datetime.time(16, 30)), (3, datetime.time(13, 30), datetime.time(16, 30)),
         (4, datetime.time(13, 30), datetime.time(16, 30))),
        0.9, ("dekooi.gastheer", "Youssef", "Amrani"),
    ),
    _Place(
        "Inloophuis Merenwijk", "merenwijk", "Merenwijk", "Merenwijkplein 3, 2317 AB Leiden", "",
        "Kleine inloop in de Merenwijk, met spelletjes en een open tafel.",
        "Alles gelijkvloers, rolstoeltoegankelijk; geleidehonden welkom.",
        ((0, datetime.time(13, 0), datetime.time(16, 0)), (2, datetime.time(13, 0), datetime.time(16, 0)),
         (5, datetime.time(12, 0), datetime.time(15, 0))),
        0.8, ("merenwijk.gastvrouw", "Els", "Brouwer"),
    ),
]  # fmt: skip

# slug, title, weekday, start, end, months running (None: the whole period), capacity, sign-up, public, organiser,
# (typical attendance low, high); organiser is "host" or "participant"
ACTIVITIES = [
    ("matilo", "Samen koken", 1, (17, 0), (19, 30), None, 8, True, True, "host", (5, 9),
     "Samen boodschappen doen, koken en eten. Eigen bijdrage € 3."),
    ("matilo", "Wandelgroep", 3, (10, 0), (11, 30), None, None, False, True, "participant", (3, 9),
     "Een rondje door het Roomburgerpark in eigen tempo. Verzamelen bij de ingang."),
    ("matilo", "Creatief atelier", 2, (14, 0), (16, 0), 10, 10, True, True, "participant", (4, 10),
     "Tekenen, schilderen en kleien. Materiaal is er; ervaring is niet nodig."),
    ("matilo", "Lotgenotengroep", 0, (19, 30), (21, 0), None, None, False, False, "host", (4, 8),
     "Gesprek onder lotgenoten, in vertrouwen."),
    ("de-kooi", "Koffie & krant", 4, (10, 0), (12, 0), None, None, False, True, "host", (4, 11),
     "De dag beginnen met koffie en de krant, en er samen over praten."),
    ("de-kooi", "Moestuin", 5, (10, 0), (12, 0), 9, 6, True, True, "participant", (3, 6),
     "Zaaien, wieden en oogsten in de buurtmoestuin."),
    ("merenwijk", "Spelletjesmiddag", 3, (14, 0), (16, 0), None, None, False, True, "host", (3, 8),
     "Sjoelen, kaarten en bordspellen."),
]  # fmt: skip

FIRST_NAMES = [
    "Anja", "Bert", "Cor", "Dineke", "Edwin", "Fenna", "Gert", "Hatice", "Ingrid", "Joop", "Kim", "Leo",
    "Marja", "Nico", "Patrick", "Rob", "Saskia", "Ton", "Ulla", "Wil", "Yvonne", "Ali", "Bea", "Dirk",
    "Emine", "Frits", "Greet", "Henk", "Jolanda", "Karel",
]  # fmt: skip
PARTICIPANTS_PER_PLACE = {"matilo": 18, "de-kooi": 7, "merenwijk": 5}
WEEKDAY_BUSY = {0: 1.1, 1: 1.0, 2: 1.05, 3: 0.95, 4: 0.9, 5: 0.8}  # Mondays busiest, Saturdays quietest
_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def seed(stdout) -> None:
    _Builder().run(stdout)


class _Builder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=PERIOD_DAYS)
        self.places: dict[str, Location] = {}
        self.hosts: dict[str, User] = {}

    def run(self, stdout) -> None:
        self._places()
        if Session.objects.filter(location__in=self.places.values(), date__lt=self.today).exists():
            stdout.write(f"Zelfregiecentrum: demo history already there, nothing added. {_summary()}")
            return
        with translation.override("nl"):
            self._sessions()
            participants = self._participants()
            self._activities(participants)
            self._expected()
        until = self.today + datetime.timedelta(weeks=PLAN_WEEKS)
        sessions_plan(until=until, today=self.today)
        occurrences_plan(until=until, today=self.today)
        stdout.write(f"Zelfregiecentrum: {_summary()}")

    # --- places, hours, hosts -----------------------------------------------------------------------------

    def _places(self) -> None:
        districts = {district.name: district for district in District.objects.all()}
        missing = [place.district for place in PLACES if place.district not in districts]
        featured = User.objects.filter(username=FEATURED_HOST).first()
        if missing or featured is None:
            raise RuntimeError(f"The accounts demo must run first; missing: {', '.join(missing) or FEATURED_HOST}")
        organisation = featured.organisation or Organisation.objects.first()
        new_hosts = []
        for place in PLACES:
            location, _ = Location.objects.get_or_create(
                slug=place.slug,
                defaults={
                    "name": place.name,
                    "district": districts[place.district],
                    "address": place.address,
                    "phone": place.phone,
                    "description": place.description,
                    "accessibility": place.accessibility,
                },
            )
            for weekday, start, end in place.hours:
                WalkInHours.objects.get_or_create(
                    location=location, weekday=weekday, start_time=start, defaults={"end_time": end}
                )
            username, first, last = place.host
            host = User.objects.filter(username=username).first()
            if host is None:
                # No password here: hashing the demo password once below keeps seeding fast.
                host = user_create(
                    username=username,
                    role=Role.HOST,
                    organisation=organisation,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@meedoen.example",
                )
                new_hosts.append(host.pk)
            LocationHost.objects.get_or_create(location=location, user=host)
            self.places[place.slug] = location
            self.hosts[place.slug] = host
        if new_hosts:
            User.objects.filter(pk__in=new_hosts).update(password=make_password(DEMO_PASSWORD))
        # A summer break last year at De Kooi, and a short closure coming up in the Merenwijk (for the agenda).
        summer = self.today - datetime.timedelta(days=300)
        Closure.objects.get_or_create(
            location=self.places["de-kooi"],
            reason="Zomerstop",
            defaults={"start_date": summer, "end_date": summer + datetime.timedelta(days=13)},
        )
        soon = self.today + datetime.timedelta(days=17)
        Closure.objects.get_or_create(
            location=self.places["merenwijk"],
            reason="Schilderwerk",
            defaults={"start_date": soon, "end_date": soon + datetime.timedelta(days=2)},
        )

    # --- walk-in history ----------------------------------------------------------------------------------

    def _sessions(self) -> None:
        """Every past session with a count: busier at Matilo and on Mondays, growing as the place became known,
        scaled so that the period adds up to about TARGET_VISITORS."""
        yesterday = self.today - datetime.timedelta(days=1)
        closed = closed_days([location.pk for location in self.places.values()], self.start, yesterday)
        rows = []
        for place in PLACES:
            location = self.places[place.slug]
            for weekday, start, end in place.hours:
                for day in schedule.weekday_dates(weekday, self.start, yesterday):
                    if day in closed[location.pk]:
                        continue
                    progress = (day - self.start).days / PERIOD_DAYS
                    mean = place.busy * WEEKDAY_BUSY.get(weekday, 1) * (0.6 + 0.7 * progress)
                    rows.append((location, day, start, end, max(self.rng.gauss(mean, mean / 3), 0), progress))
        scale = TARGET_VISITORS / sum(row[4] for row in rows)
        sessions = []
        for location, day, start, end, raw, progress in rows:
            visitors = int(raw * scale + self.rng.random())
            new_share = 0.2 - 0.13 * progress  # many newcomers at first, mostly regulars later
            new = sum(self.rng.random() < new_share for _ in range(visitors))
            sessions.append(
                Session(
                    location=location, date=day, start_time=start, end_time=end, visitors=visitors, new_visitors=new
                )
            )
        Session.objects.bulk_create(sessions, batch_size=1000)

    # --- participants, activities, sign-ups ---------------------------------------------------------------

    def _participants(self) -> dict[str, list[Participant]]:
        taken = set(Participant.objects.values_list("pseudonym", flat=True))
        names = list(FIRST_NAMES)
        self.rng.shuffle(names)
        participants: dict[str, list[Participant]] = {}
        for slug, count in PARTICIPANTS_PER_PLACE.items():
            location = self.places[slug]
            participants[slug] = []
            for _ in range(count):
                consent_day = self.today - datetime.timedelta(days=self.rng.randint(3, 330))
                retain_until = consent_day + relativedelta(months=location.retention_months)
                participants[slug].append(
                    Participant(
                        location=location,
                        pseudonym=self._pseudonym(taken),
                        first_name=names.pop() if names and self.rng.random() < 0.85 else "",
                        consent_at=schedule.aware(consent_day, datetime.time(self.rng.randint(13, 16), 5)),
                        consent_text=consent_statement(location, retain_until),
                        retain_until=retain_until,
                        registered_by=self.hosts[slug],
                    )
                )
        Participant.objects.bulk_create([p for group in participants.values() for p in group])
        return participants

    def _pseudonym(self, taken: set[str]) -> str:
        while True:
            pseudonym = "D-" + "".join(self.rng.choice(_PSEUDONYM_ALPHABET) for _ in range(6))
            if pseudonym not in taken:
                taken.add(pseudonym)
                return pseudonym

    def _activities(self, participants: dict[str, list[Participant]]) -> None:
        yesterday = self.today - datetime.timedelta(days=1)
        activities, occurrences, signups = [], [], []
        closed = closed_days([location.pk for location in self.places.values()], self.start, yesterday)
        for row in ACTIVITIES:
            slug, title, weekday, start, end, months, capacity, signup, public, organiser, attendance, text = row
            location = self.places[slug]
            begin = self.today - relativedelta(months=months) if months else self.start
            activity = Activity(
                location=location,
                title=title,
                description=text,
                recurrence=Activity.Recurrence.WEEKLY,
                first_date=schedule.weekday_dates(weekday, begin, begin + datetime.timedelta(days=6))[0],
                start_time=datetime.time(*start),
                end_time=datetime.time(*end),
                capacity=capacity,
                signup_required=signup,
                public=public,
                organiser_host=self.hosts[slug] if organiser == "host" else None,
                organiser_participant=participants[slug][len(activities) % 3] if organiser == "participant" else None,
            )
            activities.append(activity)
            low, high = attendance
            for day in activity.dates(activity.first_date, yesterday):
                if day in closed[location.pk]:
                    continue
                occurrences.append(
                    Occurrence(
                        activity=activity,
                        date=day,
                        start_time=activity.start_time,
                        end_time=activity.end_time,
                        attendance=self.rng.randint(low, high),
                        attendance_noted_by=self.hosts[slug],
                        attendance_noted_at=schedule.aware(day, activity.end_time),
                    )
                )
            if signup:
                # The cooking evening is full, with two on the waiting list; the others have room.
                wanted = (capacity or 0) + 2 if title == "Samen koken" else self.rng.randint(3, (capacity or 6) - 1)
                pool = self.rng.sample(participants[slug], min(wanted, len(participants[slug])))
                signed_up = None
                for index, participant in enumerate(sorted(pool, key=lambda p: p.consent_at)):
                    # First come, first served: the waiting ones signed up after the places were gone.
                    earliest = participant.consent_at + datetime.timedelta(days=1)
                    signed_up = max(earliest, signed_up + datetime.timedelta(hours=1)) if signed_up else earliest
                    signed_up = min(signed_up, timezone.now() - datetime.timedelta(minutes=len(pool) - index))
                    signups.append(
                        SignUp(
                            activity=activity,
                            participant=participant,
                            status=SignUp.Status.CONFIRMED if index < capacity else SignUp.Status.WAITING,
                            created_at=signed_up,
                            by=self.hosts[slug],
                        )
                    )
        # An open day coming up in the Merenwijk: an activity that happens once.
        open_day = self.today + datetime.timedelta(days=10)
        activities.append(
            Activity(
                location=self.places["merenwijk"],
                title="Open dag",
                description="Kom kennismaken met de inloop en de vrijwilligers. Met soep.",
                recurrence=Activity.Recurrence.ONCE,
                first_date=open_day,
                start_time=datetime.time(11, 0),
                end_time=datetime.time(15, 0),
                public=True,
                organiser_host=self.hosts["merenwijk"],
            )
        )
        Activity.objects.bulk_create(activities)
        Occurrence.objects.bulk_create(occurrences, batch_size=1000)
        signups.sort(key=lambda signup: signup.created_at)  # the waiting list's order is the sign-up order
        SignUp.objects.bulk_create(signups)

    def _expected(self) -> None:
        """Visitors referred by the brigade: a first name, given with consent when they were announced."""
        coordinator = User.objects.filter(username=COORDINATOR).first() or self.hosts["matilo"]
        now = timezone.now()
        announced = [
            ("matilo", "Kees", now - datetime.timedelta(days=2, hours=3), None),
            ("matilo", "Mirjam", now - datetime.timedelta(days=12), now - datetime.timedelta(days=8)),
            ("de-kooi", "Ahmed", now - datetime.timedelta(days=1), None),
        ]
        ExpectedVisitor.objects.bulk_create(
            [
                ExpectedVisitor(
                    location=self.places[slug],
                    first_name=first_name,
                    consent_at=announced_at,
                    announced_by=coordinator,
                    announced_at=announced_at,
                    arrived_at=arrived_at,
                    arrival_noted_by=self.hosts[slug] if arrived_at else None,
                )
                for slug, first_name, announced_at, arrived_at in announced
            ]
        )


def _summary() -> str:
    today = timezone.localdate()
    past = Session.objects.filter(date__lt=today)
    visitors = past.aggregate(total=Sum("visitors"))["total"] or 0
    attendance = Occurrence.objects.aggregate(total=Sum("attendance"))["total"] or 0
    return (
        f"{Location.objects.count()} places, {Session.objects.count()} walk-in sessions ({past.count()} past, "
        f"{visitors} visitors), {Activity.objects.count()} activities with {Occurrence.objects.count()} dates "
        f"({attendance} attendances), {Participant.objects.count()} participants."
    )
