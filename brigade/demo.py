"""Vliegende Brigade part of the Leiden demo set: six trained brigadiers and 18 months of visit requests.

The figures follow the real project: about 40 people guided, about 20 residents visited, 10 of them referred on.
Every signal that an overleg closed with the outcome "Vliegende Brigade" gets the finished visit request behind it,
open signals whose overleg asked for the brigade get a request too, and the rest come straight from professionals.
A handful are open today, so the coordinator's queue and the demo "brigadier" account have work.

As in signalering/demo.py: synthetic, seeded, dates relative to today, rows written directly and in bulk (every
service step would write an access-log row). The timeline events copy `_to_signal` in brigade/services.py.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext

from brigade.models import (
    ACTIVE_ASSIGNMENT,
    Assignment,
    AssignmentStatus,
    Availability,
    BrigadeSettings,
    Brigadier,
    Contact,
    Expertise,
    Gender,
    TrainingModule,
    TrainingRecord,
    VisitRequest,
)
from brigade.selectors import REQUESTING_ROLES
from brigade.workflow import REFERRED_ON, Referral, RequestStatus
from meedoen.accounts.demo import DEMO_PASSWORD
from meedoen.accounts.models import District, DistrictMembership, Organisation, Role, User
from meedoen.accounts.services import user_create
from meedoen.core.workdays import is_working_day
from meedoen.privacy.models import Resident
from signalering.demo import FIRST_NAMES, LAST_NAMES, OPENING_DECISIONS, OVERLEGGEN, STREETS
from signalering.models import Event, Signal
from signalering.workflow import OPEN_STATUSES as OPEN_SIGNAL_STATUSES
from signalering.workflow import Outcome, Status

SEED = 71  # any fixed number gives the same demo for the same day
TARGET_REQUESTS, TARGET_VISITED, TARGET_REFERRED = 40, 20, 10
COORDINATOR, FEATURED = "coordinator", "brigadier"  # accounts from meedoen/accounts/demo.py

LUMEN, GGZ, BRIJDER, CLIENTS = "Stichting Lumen", "GGZ Rivierduinen", "Brijder Verslavingszorg", "Cliëntenraad Meedoen"
BN, BZ, SD, LN, RB = "Binnenstad-Noord", "Binnenstad-Zuid", "Stationsdistrict", "Leiden-Noord", "Roodenburgerdistrict"
BG, MD, BH, MW, SH = "Bos- en Gasthuisdistrict", "Morsdistrict", "Boerhaavedistrict", "Merenwijk", "Stevenshof"

BASIC, SAFETY = "Basistraining ervaringsdeskundigheid", "Veiligheid bij huisbezoek"
CONFUSION, PRIVACY = "Omgaan met verward gedrag", "Privacy en geheimhouding"
MODULES = {BASIC: 24, SAFETY: 12, CONFUSION: 24, PRIVACY: None}  # refresher after so many months


@dataclass(frozen=True)
class _Member:
    username: str
    first_name: str
    last_name: str
    organisation: str
    kind: str
    gender: str
    expertise: tuple[str, ...]
    languages: tuple[str, ...]
    districts: tuple[str, ...]
    max_active: int
    availability: tuple[tuple[int, int, int], ...]  # weekday, from hour, until hour
    # module, months ago, days later: a refresher after exactly that many months falls due that many days from today
    training: tuple[tuple[str, int, int], ...]
    paused_days_ago: int | None = None


EXPERT, FAMILY = Brigadier.Kind.EXPERT, Brigadier.Kind.FAMILY_EXPERT
POOL = (
    _Member(FEATURED, "Ruud", "Verhoeven", CLIENTS, EXPERT, Gender.MAN, ("Psychose", "Eenzaamheid", "Dakloosheid"),
            ("Nederlands", "Engels"), (BN, BZ, SD, LN), 3, ((0, 13, 17), (2, 9, 13), (3, 13, 17)),
            ((BASIC, 22, 0), (SAFETY, 12, 12), (CONFUSION, 15, 0), (PRIVACY, 22, 5))),
    _Member("brigade.samira", "Samira", "Ouali", GGZ, EXPERT, Gender.WOMAN, ("Psychose", "Rouw"),
            ("Nederlands", "Arabisch"), (LN, MD, SD), 3, ((1, 9, 13), (3, 9, 17)),
            ((BASIC, 24, 25), (SAFETY, 5, 0), (CONFUSION, 14, 0), (PRIVACY, 23, 0))),
    _Member("brigade.mehmet", "Mehmet", "Demirtaş", BRIJDER, EXPERT, Gender.MAN, ("Verslaving", "Dakloosheid"),
            ("Nederlands", "Turks"), (BN, BZ, MD, RB, LN), 4, ((1, 13, 17), (2, 13, 17), (4, 10, 16)),
            ((BASIC, 22, -3), (SAFETY, 13, 0), (CONFUSION, 20, 0))),
    _Member("brigade.els", "Els", "van Rijnsoever", LUMEN, FAMILY, Gender.WOMAN, ("Familie en naasten", "Psychose"),
            ("Nederlands", "Engels"), (RB, BG, SH), 2, ((0, 9, 12), (4, 9, 12)),
            ((BASIC, 21, 0), (SAFETY, 8, 0), (CONFUSION, 10, 0), (PRIVACY, 21, 0))),
    _Member("brigade.tomasz", "Tomasz", "Nowicki", BRIJDER, EXPERT, Gender.MAN, ("Verslaving", "Schulden"),
            ("Nederlands", "Pools", "Engels"), (SD, BH, MW, LN), 2, ((2, 18, 21), (5, 10, 14)),
            ((BASIC, 10, 0), (SAFETY, 10, 0), (PRIVACY, 10, 0))),
    _Member("brigade.gerrit", "Gerrit", "Hoogendam", CLIENTS, FAMILY, Gender.MAN, ("Rouw", "Eenzaamheid"),
            ("Nederlands",), (MW, SH, BG, BH, MD), 2, ((1, 10, 14),),
            ((BASIC, 20, 0), (SAFETY, 9, 0), (CONFUSION, 19, 0)), paused_days_ago=50),
)  # fmt: skip

CATEGORY_EXPERTISE = {  # concern category of a signal -> the expertise a request from it asks for
    "Verslaving": "Verslaving", "Psychische klachten": "Psychose", "Verward gedrag": "Psychose",
    "Eenzaamheid": "Eenzaamheid", "Sociaal isolement": "Eenzaamheid", "Financiële zorgen": "Schulden",
}  # fmt: skip
EXPERTISE = ["Psychose", "Verslaving", "Rouw", "Schulden", "Eenzaamheid", "Dakloosheid", "Familie en naasten"]
QUESTIONS = [
    "Bewoner is uit beeld bij de zorg en doet niet open voor hulpverleners. Kan een ervaringsdeskundige langsgaan?",
    "Huurder met een grote huurachterstand reageert niet op brieven. Graag een eerste contact zonder 'instantie'.",
    "Bewoner vertrouwt hulpverleners niet meer na een gedwongen opname. Wie wil langsgaan?",
    "Bewoner zit alleen thuis sinds het overlijden van zijn vrouw en drinkt veel. Graag een kennismaking.",
    "Zoon trekt zich terug en wil geen hulpverlener, misschien wel iemand die het zelf heeft meegemaakt.",
    "Bewoner slaapt geregeld buiten en heeft geen vaste plek. Graag contact om te verkennen wat hij zelf wil.",
]
NOTES = {
    Contact.Kind.HOME_VISIT: ["Kennismaking aan huis; bewoner vertelde open over de afgelopen maanden.",
                              "Samen koffie gedronken en de post doorgenomen.", "Afspraak gemaakt voor volgende week.",
                              "Bewoner liet ons binnen; de woning is rommelig maar leefbaar."],
    Contact.Kind.PHONE: ["Kort gebeld; bewoner wil graag dat we langskomen.", "Nagebeld over de aanmelding.",
                         "Afspraak telefonisch verzet; bewoner voelde zich niet goed."],
    Contact.Kind.OUT_TOGETHER: ["Samen naar de inloop van het Zelfregiecentrum geweest.", "Samen naar de huisarts.",
                                "Samen boodschappen gedaan.", "Mee geweest naar het wijkteam voor een eerste gesprek."],
    Contact.Kind.NO_ANSWER: ["Geen gehoor; kaartje met telefoonnummer achtergelaten.", "Geen gehoor, wel licht aan.",
                             "Niemand thuis; de buurvrouw zegt dat de bewoner overdag weg is."],
}  # fmt: skip
DURATIONS = {  # minutes
    Contact.Kind.HOME_VISIT: (45, 60, 60, 75, 90, 120), Contact.Kind.PHONE: (10, 15, 20, 30),
    Contact.Kind.OUT_TOGETHER: (90, 120, 150, 180), Contact.Kind.NO_ANSWER: (10, 15, 20),
}  # fmt: skip
OUTCOME_NOTES = {
    Referral.SOCIAL_TEAM: "Samen naar het sociaal wijkteam geweest; daar loopt nu een hulpvraag.",
    Referral.CARE: "Bewoner is aangemeld bij de GGZ; wij zijn mee geweest naar de intake.",
    Referral.ACTIVITY: "Bewoner doet nu mee aan een wekelijkse activiteit in het Huis van de Buurt.",
    Referral.ZELFREGIE: "Bewoner komt nu zelf naar de inloop van het Zelfregiecentrum.",
    Referral.OWN_STRENGTH: "Het gaat beter; bewoner pakt het zelf op en weet ons te vinden als dat nodig is.",
    Referral.NO_CONTACT: "Meerdere keren geen gehoor en telefonisch niet bereikbaar; brief achtergelaten.",
}
REFERRAL_WEIGHTS = {Referral.SOCIAL_TEAM: 3, Referral.CARE: 3, Referral.ACTIVITY: 2, Referral.ZELFREGIE: 2}
CANCEL_REASONS = [
    "Bewoner is verhuisd naar een andere gemeente.", "Bewoner is inmiddels opgenomen; inzet is niet meer nodig.",
    "Dubbele aanvraag: de bewoner is al in beeld bij het wijkteam.", "De GGZ heeft het contact zelf hersteld.",
    "Bewoner heeft via de aanvrager laten weten geen bezoek te willen.",
]  # fmt: skip
ASSIGNMENT_STATUS = {  # of the assignments of an open request; a closed one ends them
    RequestStatus.ASSIGNED: AssignmentStatus.PROPOSED, RequestStatus.IN_CONTACT: AssignmentStatus.ACCEPTED,
}  # fmt: skip
ASSESSMENT_DECISION = "Past bij de brigade. Eerst telefonisch contact via de aanvrager, dan een huisbezoek."


@dataclass(frozen=True)
class _Open:
    """A request that is open today."""

    status: str
    days_ago: int
    brigadiers: tuple[str, ...] = ()  # usernames; empty: the best free match
    duo: bool = False
    visited: bool = False
    assessment: str = ""  # "list": on the weekly assessment list; "decided": a decision recorded


OPEN = (
    _Open(RequestStatus.NEW, 1),
    _Open(RequestStatus.NEW, 6, assessment="list"),
    _Open(RequestStatus.ASSIGNED, 3, (FEATURED,)),
    _Open(RequestStatus.ASSIGNED, 5, assessment="list"),
    _Open(RequestStatus.IN_CONTACT, 24, (FEATURED,), visited=True, assessment="decided"),
    _Open(RequestStatus.IN_CONTACT, 16, duo=True, visited=True),
    _Open(RequestStatus.IN_CONTACT, 10),  # only "no answer" so far
)


@dataclass(eq=False)
class _Seat:
    """A brigadier while the history is drawn, with the periods their places were taken."""

    brigadier: Brigadier
    member: _Member
    district_ids: set[int]
    joined: datetime
    paused: datetime | None
    busy: list[tuple[datetime, datetime | None]] = field(default_factory=list)

    def free(self, start: datetime, end: datetime | None) -> bool:
        if start < self.joined or (self.paused and (end is None or end > self.paused)):
            return False
        taken = sum(1 for s, e in self.busy if (end is None or s < end) and (e is None or e > start))
        return taken < self.brigadier.max_active


@dataclass
class _Plan:
    """A visit request with what is fixed about its story; once told, the rows that tell it."""

    request: VisitRequest
    expertise: list[str]
    end: datetime | None = None  # finished or cancelled at
    visited: bool = False
    referral: str = ""
    open: _Open | None = None
    assignments: list[Assignment] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    events: list[tuple[datetime, User, str]] = field(default_factory=list)  # for the signal's timeline


def seed(stdout) -> None:
    _Builder().run(stdout)


class _Builder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.now, self.today = timezone.now(), timezone.localdate()
        self.seats: dict[str, _Seat] = {}
        self.new_residents: list[tuple[Resident, datetime]] = []

    def run(self, stdout) -> None:
        self._pool()
        if Assignment.objects.filter(brigadier__in=[seat.brigadier for seat in self.seats.values()]).exists():
            stdout.write(f"Vliegende Brigade: demo requests already there, nothing added. {_summary()}")
            return
        self.coordinator = User.objects.get(username=COORDINATOR)
        open_plans, plans = self._plans()
        # Open requests first: they take the places the brigadiers have today; the history fits around them.
        for plan in open_plans + sorted(plans, key=lambda plan: plan.request.created_at):
            self._tell(plan)
        self._save(sorted(open_plans + plans, key=lambda plan: plan.request.created_at))
        stdout.write(f"Vliegende Brigade: {_summary()}")

    # --- the pool -----------------------------------------------------------------------------------------

    def _pool(self) -> None:
        organisations = {org.name: org for org in Organisation.objects.filter(name__in={m.organisation for m in POOL})}
        districts = {district.name: district for district in District.objects.all()}
        users = {user.username: user for user in User.objects.filter(username__in=[m.username for m in POOL])}
        missing = sorted({m.organisation for m in POOL} - set(organisations))
        missing += [name for name in (FEATURED, COORDINATOR) if not User.objects.filter(username=name).exists()]
        if missing:
            raise RuntimeError(f"The accounts demo must run first; missing: {', '.join(missing)}")
        self.expertise = {name: Expertise.objects.get_or_create(name=name)[0] for name in EXPERTISE}
        modules = {name: TrainingModule.objects.get_or_create(name=name, defaults={"refresher_months": months})[0]
                   for name, months in MODULES.items()}  # fmt: skip
        if not BrigadeSettings.objects.exists():
            BrigadeSettings.objects.create()  # the defaults
        new_users = []
        for member in POOL:
            user = users.get(member.username)
            if user is None:  # no password here: hashing the demo password once below keeps seeding fast
                user = user_create(
                    username=member.username, role=Role.BRIGADIER, organisation=organisations[member.organisation],
                    first_name=member.first_name, last_name=member.last_name,
                    email=f"{member.username}@meedoen.example",
                )  # fmt: skip
                new_users.append(user.pk)
            brigadier = Brigadier.objects.filter(user=user).first() or self._brigadier(member, user, modules, districts)
            joined = _add_months(self.today, -next(months for name, months, _ in member.training if name == BASIC))
            paused = member.paused_days_ago and self.today - timedelta(days=member.paused_days_ago)
            brigadier.user = user
            self.seats[member.username] = _Seat(
                brigadier, member, {districts[name].pk for name in member.districts},
                joined=_aware(joined, time(23)), paused=_aware(paused, time(0)) if paused else None,
            )  # fmt: skip
        if new_users:
            User.objects.filter(pk__in=new_users).update(password=make_password(DEMO_PASSWORD))

    def _brigadier(self, member: _Member, user, modules, districts) -> Brigadier:
        brigadier = Brigadier.objects.create(
            user=user, kind=member.kind, gender=member.gender, languages=list(member.languages),
            max_active=member.max_active, active=member.paused_days_ago is None,
        )  # fmt: skip
        brigadier.expertise.set([self.expertise[name] for name in member.expertise])
        brigadier.districts.set([districts[name] for name in member.districts])
        Availability.objects.bulk_create(
            Availability(brigadier=brigadier, weekday=day, start_time=time(start), end_time=time(end))
            for day, start, end in member.availability
        )
        records = []
        for name, months_ago, days in member.training:
            completed = _add_months(self.today, -months_ago) + timedelta(days=days)
            months = modules[name].refresher_months
            due = _add_months(completed, months) if months else None
            records.append(TrainingRecord(brigadier=brigadier, module=modules[name], completed_on=completed,
                                          certified=True, refresher_due=due))  # fmt: skip
        TrainingRecord.objects.bulk_create(records)
        return brigadier

    # --- which requests -----------------------------------------------------------------------------------

    def _plans(self) -> tuple[list[_Plan], list[_Plan]]:
        """The open requests, and the finished and cancelled ones, sized to the project's figures."""
        self.taken_pseudonyms = set(Resident.objects.values_list("pseudonym", flat=True))
        self.requesters: dict[int, list[User]] = {}
        members = DistrictMembership.objects.filter(user__role__in=REQUESTING_ROLES, user__is_active=True)
        for membership in members.select_related("user").order_by("user__username"):
            self.requesters.setdefault(membership.district_id, []).append(membership.user)
        self.districts = [d for d in District.objects.order_by("name") if self.requesters.get(d.pk)]
        signals = Signal.objects.filter(resident__isnull=False, visit_requests=None).select_related(
            "resident", "district", "lead", "reporter").prefetch_related("categories")  # fmt: skip
        closed = list(signals.filter(status=Status.CLOSED, outcome=Outcome.BRIGADE).order_by("created_at", "pk"))
        asked = OPENING_DECISIONS[Outcome.BRIGADE]  # open signals whose overleg decided to ask the brigade
        waiting = list(signals.filter(status__in=OPEN_SIGNAL_STATUSES, discussions__decision__in=asked)
                       .distinct().order_by("-first_discussed_at", "pk"))  # fmt: skip
        open_plans = [self._open(spec, waiting) for spec in OPEN]
        visited = {plan.request.resident.pseudonym for plan in open_plans if plan.visited}
        plans = []
        for signal in closed:  # the signal closed once the brigade was done
            plans.append(self._from_signal(signal, RequestStatus.DONE, visited=len(visited) < TARGET_VISITED - 1))
            if plans[-1].visited:
                visited.add(signal.resident.pseudonym)
        for signal in waiting:  # the brigade found nobody home; the overleg keeps watching
            if signal.first_discussed_at < self.now - timedelta(days=45):
                plans.append(self._from_signal(signal, RequestStatus.DONE))
        extra = max(1, TARGET_VISITED - len(visited), TARGET_REFERRED - sum(plan.visited for plan in plans))
        plans += [self._direct(RequestStatus.DONE, visited=True) for _ in range(extra)]
        referred: set[str] = set()
        for plan in plans:  # signals first: their overleg closed on the brigade's referral
            resident = plan.request.resident.pseudonym
            if plan.visited and len(referred) < TARGET_REFERRED and resident not in referred:
                plan.referral = _weighted(self.rng, REFERRAL_WEIGHTS)
                referred.add(resident)
            else:
                plan.referral = Referral.OWN_STRENGTH if plan.visited else Referral.NO_CONTACT
        remaining = max(TARGET_REQUESTS - len(open_plans) - len(plans), 0)
        plans += [self._direct(RequestStatus.CANCELLED) for _ in range(remaining // 3)]
        plans += [self._direct(RequestStatus.DONE) for _ in range(remaining - remaining // 3)]  # no contact possible
        return open_plans, plans

    def _open(self, spec: _Open, waiting: list[Signal]) -> _Plan:
        created = self._office_hours(self.today - timedelta(days=spec.days_ago))
        forced = [self.seats[username] for username in spec.brigadiers]
        for signal in waiting:
            later = signal.first_discussed_at < created - timedelta(hours=2)
            if later and all(signal.district_id in seat.district_ids for seat in forced):
                waiting.remove(signal)
                plan = self._from_signal(signal, spec.status, created=created)
                break
        else:
            covered = set.intersection(*(seat.district_ids for seat in forced)) if forced else None
            plan = self._direct(spec.status, created=created, district_ids=covered)
        plan.open, plan.visited = spec, spec.visited
        return plan

    def _from_signal(self, signal: Signal, status: str, *, created=None, visited=False) -> _Plan:
        """A request made with one click from the signal: its resident and district, asked by its lead."""
        rng = self.rng
        discussed = timezone.localdate(signal.first_discussed_at)
        created = created or self._office_hours(discussed + timedelta(days=rng.randint(1, 3)), forward=True)
        end = None
        if status == RequestStatus.DONE and signal.closed_at:  # finished some days before the signal closed
            end = self._office_hours(timezone.localdate(signal.closed_at) - timedelta(days=rng.randint(1, 4)))
            if end - created < timedelta(days=7):
                end = created + (signal.closed_at - created) * 0.8
        elif status == RequestStatus.DONE:
            end = self._end(created, rng.randint(14, 35))
        lead = signal.lead if signal.lead and signal.lead.role in REQUESTING_ROLES else signal.reporter
        wanted = {CATEGORY_EXPERTISE.get(category.name) for category in signal.categories.all()} - {None}
        request = VisitRequest(
            resident=signal.resident, district=signal.district, signal=signal, requested_by=lead, status=status,
            question=signal.description, created_at=created,  # the form is pre-filled with the description
            urgency=VisitRequest.Urgency.HIGH if signal.urgency >= Signal.Urgency.HIGH else VisitRequest.Urgency.NORMAL,
        )  # fmt: skip
        return _Plan(request, sorted(wanted)[:2], end=end, visited=visited)

    def _direct(self, status: str, *, visited=False, created=None, district_ids=None) -> _Plan:
        """A request straight from a professional of the district, about a resident new to the system."""
        rng = self.rng
        districts = [d for d in self.districts if district_ids is None or d.pk in district_ids]
        district = _weighted(rng, {d: OVERLEGGEN[d.name].signals if d.name in OVERLEGGEN else 30 for d in districts})
        if created is None:
            oldest = {RequestStatus.CANCELLED: 14, RequestStatus.DONE: 60 if visited else 30}[status]
            created = self._office_hours(self.today - timedelta(days=rng.randint(oldest, 540)))
        span = (21, 70) if visited else (2, 21) if status == RequestStatus.CANCELLED else (14, 40)
        end = self._end(created, rng.randint(*span))
        language = rng.choice(["Arabisch", "Turks", "Pools"]) if rng.random() < 0.15 else ""
        language = language if district_ids is None else ""  # a request for a set brigadier asks what they speak
        question = rng.choice(QUESTIONS) + (f" Liefst iemand die {language} spreekt." if language else "")
        request = VisitRequest(
            resident=self._resident(created), district=district, requested_by=rng.choice(self.requesters[district.pk]),
            status=status, question=question, created_at=created, preferred_language=language,
            urgency=VisitRequest.Urgency.HIGH if rng.random() < 0.2 else VisitRequest.Urgency.NORMAL,
            preferred_gender=rng.choice([Gender.WOMAN, Gender.MAN]) if rng.random() < 0.15 else "",
        )  # fmt: skip
        return _Plan(
            request, rng.sample(EXPERTISE, rng.choice((1, 1, 2))), visited=visited,
            end=end if status in (RequestStatus.DONE, RequestStatus.CANCELLED) else None,
            referral=Referral.NO_CONTACT if status == RequestStatus.DONE and not visited else "",
        )  # fmt: skip

    def _resident(self, created) -> Resident:
        rng, letters = self.rng, "ABEGHJKLNPRSTVWXZ"
        resident = Resident(
            pseudonym=self._pseudonym(), full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            date_of_birth=date(rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            street=rng.choice(STREETS), house_number=str(rng.randint(1, 160)),
            postcode=f"23{rng.randint(11, 34)} {rng.choice(letters)}{rng.choice(letters)}",
        )  # fmt: skip
        resident.refresh_hashes()
        self.new_residents.append((resident, created))
        return resident

    def _pseudonym(self) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as privacy.models.new_pseudonym, but from the seeded generator
        pseudonym = ""
        while not pseudonym or pseudonym in self.taken_pseudonyms:
            pseudonym = "B-" + "".join(self.rng.choice(alphabet) for _ in range(6))
        self.taken_pseudonyms.add(pseudonym)
        return pseudonym

    # --- a request's story --------------------------------------------------------------------------------

    def _tell(self, plan: _Plan) -> None:
        rng, request = self.rng, plan.request
        request.needs_assessment = bool(plan.open and plan.open.assessment == "list")
        plan.events.append((request.created_at, request.requested_by, "requested"))
        if request.status == RequestStatus.NEW:
            return
        start = request.created_at + timedelta(hours=rng.randint(2, 26))
        start = min(start, self.now - timedelta(hours=3))
        if plan.open and plan.open.assessment == "decided":  # discussed at the weekly assessment, then assigned
            request.assessment_decision, request.assessed_at = ASSESSMENT_DECISION, start
            start += timedelta(hours=2)
        seats: list[_Seat] = []
        if request.status != RequestStatus.CANCELLED or rng.random() < 0.6:  # some are cancelled before anyone goes
            seats, start = self._assign(plan, start)
        no_answer = Contact.Kind.NO_ANSWER
        if request.status == RequestStatus.CANCELLED:
            kinds = [no_answer] if rng.random() < 0.5 else []
        elif plan.visited:  # sometimes nobody home at first; then a visit or a call, and more
            kinds = [no_answer] if rng.random() < 0.3 else []
            kinds.append(_weighted(rng, {Contact.Kind.HOME_VISIT: 3, Contact.Kind.PHONE: 2}))
            later = {Contact.Kind.HOME_VISIT: 3, Contact.Kind.PHONE: 3, Contact.Kind.OUT_TOGETHER: 2}
            kinds += [_weighted(rng, later) for _ in range(rng.randint(1, 4))]
        else:
            kinds = [no_answer] * (rng.randint(2, 4) if request.status == RequestStatus.DONE else 2)
        if seats and request.status != RequestStatus.ASSIGNED:
            self._contacts(plan, seats, start, plan.end or self.now, kinds)
        if request.status == RequestStatus.DONE:
            request.closed_at, request.referral = plan.end, plan.referral
            request.outcome_note = OUTCOME_NOTES[plan.referral]
            closer = seats[0].brigadier.user if seats and (plan.visited or rng.random() < 0.5) else self.coordinator
            plan.events.append((plan.end, closer, "finished"))
        elif request.status == RequestStatus.CANCELLED:
            request.closed_at, request.outcome_note = plan.end, rng.choice(CANCEL_REASONS)
            canceller = request.requested_by if rng.random() < 0.5 else self.coordinator
            plan.events.append((plan.end, canceller, "cancelled"))

    def _assign(self, plan: _Plan, start: datetime) -> tuple[list[_Seat], datetime]:
        """One or two brigadiers, never more than their maximum at any moment. Returns them with the moment they
        answered (the latest of them)."""
        spec, end = plan.open, plan.end
        if spec and spec.brigadiers:
            seats = [self.seats[username] for username in spec.brigadiers]
            assert all(seat.free(start, end) for seat in seats), "the open requests are told first"
        else:
            seats = self._pick(plan, start, end, 2 if (spec.duo if spec else self.rng.random() < 0.3) else 1)
        status = ASSIGNMENT_STATUS.get(plan.request.status, AssignmentStatus.ENDED)
        latest = start
        for index, seat in enumerate(seats):
            assigned, answered = start + timedelta(minutes=5 * index), None
            if status != AssignmentStatus.PROPOSED:
                answered = min(assigned + timedelta(hours=self.rng.randint(1, 24)), self.now - timedelta(hours=1))
                latest = max(latest, answered)
            plan.assignments.append(Assignment(
                request=plan.request, brigadier=seat.brigadier, status=status, assigned_by=self.coordinator,
                assigned_at=assigned, responded_at=answered,
            ))  # fmt: skip
            seat.busy.append((assigned, end))  # the place is taken until the request ends
        return seats, latest

    def _pick(self, plan: _Plan, start: datetime, end: datetime | None, count: int) -> list[_Seat]:
        """The best free brigadiers, much as the matching ranks them: district, expertise, language, gender."""
        scored = []
        for seat in self.seats.values():
            if not seat.free(start, end):
                continue
            member, request = seat.member, plan.request
            score = 3 * (request.district_id in seat.district_ids) + 2 * len(
                set(plan.expertise) & set(member.expertise)
            )
            score += 2 * (request.preferred_language in member.languages) + (request.preferred_gender == member.gender)
            score += self.rng.random()
            scored.append((score, seat))
        if not scored:
            raise RuntimeError(f"No brigadier free on {start:%Y-%m-%d}; the pool is too small for the demo's requests.")
        scored.sort(key=lambda row: row[0], reverse=True)
        first, *others = [seat for _, seat in scored[:count]]  # a second one only from the district itself
        return [first] + [seat for seat in others if plan.request.district_id in seat.district_ids]

    def _contacts(self, plan: _Plan, seats: list[_Seat], after, until, kinds: list[str]) -> None:
        """Contacts on working days between the answer and the end, logged the same evening; in turn per brigadier."""
        rng = self.rng
        first, last = timezone.localdate(after), timezone.localdate(until)
        days = [first + timedelta(days=n) for n in range(1, (last - first).days)]
        days = [day for day in days if is_working_day(day)]
        kinds = kinds[max(len(kinds) - len(days), 0) :]  # a short window keeps the last (real) contacts
        for index, (day, kind) in enumerate(zip(sorted(rng.sample(days, len(kinds))), kinds, strict=True)):
            at = _aware(day, time(rng.randint(16, 20), rng.randrange(60)))
            plan.contacts.append(Contact(
                request=plan.request, brigadier=seats[index % len(seats)].brigadier, date=day, kind=kind,
                duration_minutes=rng.choice(DURATIONS[kind]), note=rng.choice(NOTES[kind]), created_at=at,
            ))  # fmt: skip
            if kind != Contact.Kind.NO_ANSWER and plan.request.first_contact_at is None:
                plan.request.first_contact_at = at

    # --- writing ------------------------------------------------------------------------------------------

    def _office_hours(self, day: date, *, forward=False) -> datetime:
        """A moment in office hours on `day`, or on the nearest working day before it (after it, with forward)."""
        while not is_working_day(day):
            day += timedelta(days=1 if forward else -1)
        return _aware(day, time(self.rng.randint(9, 15), self.rng.randrange(60)))

    def _end(self, created: datetime, days: int) -> datetime:
        """Office hours some days after `created`, yesterday at the latest."""
        day = min(timezone.localdate(created) + timedelta(days=days), self.today - timedelta(days=1))
        return max(self._office_hours(day), created + timedelta(days=1))

    def _save(self, plans: list[_Plan]) -> None:
        residents = [resident for resident, _ in self.new_residents]
        Resident.objects.bulk_create(residents)
        for resident, created in self.new_residents:  # created_at is auto_now_add: set the request's date afterwards
            resident.created_at = created
        Resident.objects.bulk_update(residents, ["created_at"])
        VisitRequest.objects.bulk_create([plan.request for plan in plans])
        through = VisitRequest.preferred_expertise.through
        through.objects.bulk_create(through(visitrequest_id=plan.request.pk, expertise_id=self.expertise[name].pk)
                                    for plan in plans for name in plan.expertise)  # fmt: skip
        Assignment.objects.bulk_create([assignment for plan in plans for assignment in plan.assignments])
        Contact.objects.bulk_create([contact for plan in plans for contact in plan.contacts])
        events = [
            Event(signal_id=plan.request.signal_id, at=at, actor=actor, kind=Event.Kind.BRIGADE,
                  text=_event_text(what, plan.request), data={"visit_request": plan.request.pk})
            for plan in plans if plan.request.signal_id
            for at, actor, what in plan.events
        ]  # fmt: skip
        _merge_into_timelines(events)


def _event_text(what: str, request: VisitRequest) -> str:
    """The texts of brigade/services.py, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        if what == "requested":
            return gettext("Visit by the Vliegende Brigade requested (%(number)s).") % {"number": request.number}
        if what == "finished":
            return gettext("Vliegende Brigade finished: %(outcome)s.") % {"outcome": Referral(request.referral).label}
        text = gettext("Visit request %(number)s cancelled: %(reason)s")
        return text % {"number": request.number, "reason": request.outcome_note}


def _merge_into_timelines(events: list[Event]) -> None:
    """Add events to signals' timelines so that, per signal, ids still follow time, as when the services wrote
    them one by one (the signalering demo and its tests rely on that). The signals' events are written anew."""
    signal_ids = {event.signal_id for event in events}
    existing = list(Event.objects.filter(signal_id__in=signal_ids).order_by("signal_id", "pk"))
    merged = sorted(existing + events, key=lambda event: (event.signal_id, event.at))  # stable: old first on a tie
    Event.objects.filter(signal_id__in=signal_ids).delete()
    for event in merged:
        event.pk = None
    Event.objects.bulk_create(merged, batch_size=1000)


def _summary() -> str:
    statuses = dict(VisitRequest.objects.order_by().values_list("status").annotate(n=Count("pk")))
    visited = Contact.objects.exclude(kind=Contact.Kind.NO_ANSWER).values("request__resident").distinct().count()
    referred = VisitRequest.objects.filter(status=RequestStatus.DONE, referral__in=REFERRED_ON).values("resident")
    return (
        f"{Brigadier.objects.count()} brigadiers ({Brigadier.objects.filter(active=True).count()} active), "
        f"{sum(statuses.values())} visit requests ("
        + ", ".join(f"{statuses.get(status, 0)} {status}" for status in RequestStatus.values)
        + f"), {Assignment.objects.filter(status__in=ACTIVE_ASSIGNMENT).count()} open assignments, "
        f"{visited} residents visited, {referred.distinct().count()} referred on."
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=min(day.day, 28))


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _weighted(rng: random.Random, weights: dict):
    options = list(weights)
    return rng.choices(options, weights=[weights[option] for option in options])[0]
