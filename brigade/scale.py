"""Vliegende Brigade part of `seed_scale`: a brigade per region, visit requests in proportion to the signals (as
in the real project: about one in eleven), with their assignments, contacts, referrals and timeline lines.

Open requests respect every brigadier's maximum, as the assignment service does.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation
from django.utils.translation import gettext

from brigade.models import Assignment, AssignmentStatus, Brigadier, Contact, Expertise, VisitRequest
from brigade.workflow import Referral, RequestStatus
from meedoen.accounts.models import District, Role, User
from meedoen.accounts.scale import BENCH_PASSWORD
from meedoen.core.bulk import copy_rows, reserve_ids
from meedoen.core.scale import DISTRICTS_PER_REGION, Scale, aware
from meedoen.privacy.scale import ResidentMaker
from signalering.models import Event, Signal
from zelfregie.models import ExpectedVisitor, Location

BRIGADIERS_PER_REGION = 15
DIRECT_SHARE = 0.03  # requests straight from a professional, about a resident new to the system (per signal)
OPEN_DAYS = 40  # requests younger than this may still be open
REFERRALS = {Referral.SOCIAL_TEAM: 25, Referral.CARE: 30, Referral.ACTIVITY: 15, Referral.ZELFREGIE: 15,
             Referral.OWN_STRENGTH: 15}  # fmt: skip
QUESTIONS = ["Bewoner is niet meer in beeld; wil iemand langsgaan?", "Graag een eerste kennismaking aan huis.",
             "Eenzaam, wantrouwend naar hulpverlening; misschien lukt het een ervaringsdeskundige."]  # fmt: skip
REQUEST_FIELDS = ["id", "resident", "district", "signal", "question", "urgency", "preferred_gender",
                  "preferred_language", "requested_by", "status", "referral", "outcome_note", "needs_assessment",
                  "assessment_decision", "created_at", "first_contact_at", "closed_at"]  # fmt: skip


def seed(scale: Scale) -> None:
    rng = scale.rng
    pool = _brigade(scale)
    region_of = _regions()
    # Signals the overleg closed once the brigade was done, and some recent open ones that wait for a visit.
    asks = Signal.objects.filter(resident__isnull=False, first_discussed_at__isnull=False, outcome="brigade")
    plans = [
        (discussed + datetime.timedelta(days=rng.randint(1, 3), hours=2), resident, district, signal, lead or reporter,
         closed)
        for signal, resident, district, lead, reporter, discussed, closed in asks.values_list(
            "pk", "resident", "district", "lead", "reporter", "first_discussed_at", "closed_at").iterator(10_000)
    ]  # fmt: skip
    open_signals = Signal.objects.filter(resident__isnull=False, status="in_progress", first_discussed_at__gte=scale.now - datetime.timedelta(days=OPEN_DAYS))  # fmt: skip
    for signal, resident, district, lead, discussed in open_signals.values_list(
        "pk", "resident", "district", "lead", "first_discussed_at"
    ):
        if rng.random() < 0.1:
            plans.append((discussed + datetime.timedelta(days=1, hours=2), resident, district, signal, lead, None))
    residents = ResidentMaker(scale)
    requesters = _requesters()
    days = (scale.now - datetime.datetime.combine(scale.start, datetime.time(), scale.now.tzinfo)).days
    for _ in range(round(scale.signals * DIRECT_SHARE)):
        district = rng.choice(list(requesters))
        created = aware(scale.start + datetime.timedelta(days=int(days * rng.random() ** 0.8)), rng.randint(540, 960))
        plans.append((created, residents.new(created), district, None, rng.choice(requesters[district]), None))
    residents.write()
    plans = [plan for plan in plans if plan[0] < scale.now - datetime.timedelta(hours=1)]
    plans.sort(key=lambda plan: plan[0])
    first_id = reserve_ids(VisitRequest, len(plans))
    rows = _Rows(scale, pool, region_of)
    for offset, plan in enumerate(plans):
        rows.request(first_id + offset, *plan)
    rows.write()
    scale.stage_access_log(
        """SELECT created_at, requested_by_id, resident_id, 'visit_request', id::text, 'create'
           FROM brigade_visitrequest WHERE id >= %(first)s
           UNION ALL
           SELECT c.created_at, b.user_id, r.resident_id, 'visit_request', r.id::text, 'update'
           FROM brigade_contact c JOIN brigade_brigadier b ON b.id = c.brigadier_id
           JOIN brigade_visitrequest r ON r.id = c.request_id WHERE r.id >= %(first)s""",
        {"first": first_id},
    )
    statuses = defaultdict(int)
    for row in rows.requests:
        statuses[row[9]] += 1
    scale.say(
        f"Vliegende Brigade: {sum(len(region) for region in pool.values())} brigadiers, {len(plans):,} visit "
        f"requests ({', '.join(f'{count:,} {status}' for status, count in sorted(statuses.items()))}), "
        f"{len(rows.assignments):,} assignments, {len(rows.contacts):,} contacts."
    )


def _regions() -> dict[int, int]:
    districts = District.objects.order_by("pk").values_list("pk", flat=True)
    return {pk: index // DISTRICTS_PER_REGION for index, pk in enumerate(districts)}


def _requesters() -> dict[int, list[int]]:
    found = defaultdict(list)
    members = User.objects.filter(role__in=[Role.PROFESSIONAL, Role.CHAIR], memberships__isnull=False)
    for district, user in members.values_list("memberships__district", "pk"):
        found[district].append(user)
    return found


def _brigade(scale: Scale) -> dict[int, list[list]]:
    """Per region its brigadiers, each as [id, user id, active assignments]."""
    districts = list(District.objects.order_by("pk"))
    regions = [districts[start : start + DISTRICTS_PER_REGION] for start in range(0, len(districts), DISTRICTS_PER_REGION)]  # fmt: skip
    password = make_password(BENCH_PASSWORD)
    users = User.objects.bulk_create(
        User(username=f"r{region + 1:03d}.brigadier{number:02d}", first_name="Brigadier", last_name=f"{number:02d}",
             role=Role.BRIGADIER, password=password)
        for region in range(len(regions)) for number in range(1, BRIGADIERS_PER_REGION + 1)
    )  # fmt: skip
    rng = scale.rng
    brigadiers = Brigadier.objects.bulk_create(
        Brigadier(user=user, gender=rng.choice(["woman", "man", ""]), languages=rng.choice([[], [], ["Turks"]]))
        for user in users
    )
    expertise = list(Expertise.objects.values_list("pk", flat=True))
    Brigadier.expertise.through.objects.bulk_create(
        Brigadier.expertise.through(brigadier_id=brigadier.pk, expertise_id=pk)
        for brigadier in brigadiers for pk in rng.sample(expertise, min(2, len(expertise)))
    )  # fmt: skip
    pool = {}
    for region, members in enumerate(regions):
        seats = brigadiers[region * BRIGADIERS_PER_REGION : (region + 1) * BRIGADIERS_PER_REGION]
        Brigadier.districts.through.objects.bulk_create(
            Brigadier.districts.through(brigadier_id=brigadier.pk, district_id=district.pk)
            for brigadier in seats for district in members
        )  # fmt: skip
        pool[region] = [[brigadier.pk, brigadier.user_id, 0] for brigadier in seats]
    return pool


class _Rows:
    def __init__(self, scale: Scale, pool, region_of):
        self.scale, self.rng, self.pool, self.region_of = scale, scale.rng, pool, region_of
        self.coordinators = dict(
            enumerate(User.objects.filter(role=Role.BRIGADE_COORDINATOR, username__startswith="r")
                      .order_by("username").values_list("pk", flat=True))
        )  # fmt: skip
        self.requests, self.assignments, self.contacts, self.events = [], [], [], []
        with translation.override(settings.LANGUAGE_CODE):
            self.texts = {
                "requested": gettext("Visit by the Vliegende Brigade requested (%(number)s)."),
                "finished": gettext("Vliegende Brigade finished: %(outcome)s."),
                "labels": {value: str(Referral(value).label) for value in Referral.values},
            }

    def request(self, request_id, created, resident, district, signal, requester, signal_closed) -> None:
        rng, now = self.rng, self.scale.now
        region = self.region_of[district]
        coordinator = self.coordinators.get(region, requester)
        finished_by = signal_closed - datetime.timedelta(days=rng.randint(1, 4)) if signal_closed else None
        still_open = (now - created).days < OPEN_DAYS and not signal_closed and rng.random() < 0.8
        status, referral, first_contact, closed = RequestStatus.DONE, "", None, None
        team = []
        assigned_at = created + datetime.timedelta(hours=rng.randint(2, 30))
        if still_open:
            free = [seat for seat in self.pool[region] if seat[2] < 3]
            team = rng.sample(free, min(len(free), rng.choice((1, 1, 2)))) if assigned_at < now else []
            status = RequestStatus.ASSIGNED if team else RequestStatus.NEW
            for seat in team:
                seat[2] += 1
        else:
            team = rng.sample(self.pool[region], rng.choice((1, 1, 2)))
            closed = finished_by if finished_by and finished_by > assigned_at + datetime.timedelta(days=3) else None
            closed = closed or min(created + datetime.timedelta(days=rng.randint(14, 40)), now)
            status = RequestStatus.CANCELLED if not signal and rng.random() < 0.15 else RequestStatus.DONE
        visited = status != RequestStatus.CANCELLED and (signal is not None or rng.random() < 0.6)
        contact_day = timezone.localdate(assigned_at) + datetime.timedelta(days=rng.randint(1, 8))
        if team and contact_day < self.scale.today and (closed is None or contact_day < timezone.localdate(closed)):
            kinds = [Contact.Kind.HOME_VISIT, Contact.Kind.PHONE] if visited else [Contact.Kind.NO_ANSWER]
            for number in range(rng.randint(1, 3)):
                day = contact_day + datetime.timedelta(days=7 * number)
                if day >= self.scale.today or (closed and day > timezone.localdate(closed)):
                    break
                kind = rng.choice(kinds)
                self.contacts.append((request_id, team[0][0], day, kind, 60, "", aware(day, 17 * 60)))
                if kind != Contact.Kind.NO_ANSWER and first_contact is None:
                    first_contact = aware(day, 12 * 60)
            if status == RequestStatus.ASSIGNED and first_contact:
                status = RequestStatus.IN_CONTACT
        if status == RequestStatus.DONE:
            referral = _pick(rng, REFERRALS) if first_contact else Referral.NO_CONTACT
        for seat in team:
            active = status not in (RequestStatus.DONE, RequestStatus.CANCELLED)
            state = (AssignmentStatus.ACCEPTED if first_contact else AssignmentStatus.PROPOSED) if active else AssignmentStatus.ENDED  # fmt: skip
            self.assignments.append((request_id, seat[0], state, coordinator, assigned_at,
                                     assigned_at + datetime.timedelta(hours=3) if state != AssignmentStatus.PROPOSED else None, ""))  # fmt: skip
        number = f"V-{request_id:04d}"
        self.requests.append((request_id, resident, district, signal, rng.choice(QUESTIONS), 1, "", "", requester,
                              status, referral, "", False, "", created, first_contact,
                              closed if status in (RequestStatus.DONE, RequestStatus.CANCELLED) else None))  # fmt: skip
        if signal:
            self.events.append((signal, created, requester, Event.Kind.BRIGADE, self.texts["requested"] % {"number": number}, {"visit_request": request_id}))  # fmt: skip
            if status == RequestStatus.DONE:
                text = self.texts["finished"] % {"outcome": self.texts["labels"][referral]}
                self.events.append((signal, closed, team[0][1], Event.Kind.BRIGADE, text, {"visit_request": request_id}))  # fmt: skip

    def write(self) -> None:
        copy_rows(VisitRequest, REQUEST_FIELDS, self.requests)
        copy_rows(Assignment, ["request", "brigadier", "status", "assigned_by", "assigned_at", "responded_at",
                               "decline_reason"], self.assignments)  # fmt: skip
        copy_rows(Contact, ["request", "brigadier", "date", "kind", "duration_minutes", "note", "created_at"], self.contacts)  # fmt: skip
        copy_rows(Event, ["signal", "at", "actor", "kind", "text", "data"], self.events)


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def finish(scale: Scale) -> None:
    """Residents referred to a meeting place in their region are expected there; most of them arrive."""
    rng = scale.rng
    places = defaultdict(list)
    for district, place in Location.objects.order_by("district", "pk").values_list("district", "pk"):
        places[district].append(place)
    region_of = _regions()
    by_region = defaultdict(list)
    for district, region in region_of.items():
        by_region[region].extend(places.get(district, []))
    referred = VisitRequest.objects.filter(referral=Referral.ZELFREGIE, status=RequestStatus.DONE)
    rows = []
    for district, closed, brigadier_user in referred.values_list("district", "closed_at", "assignments__brigadier__user").distinct("pk").order_by("pk"):  # fmt: skip
        options = by_region.get(region_of[district])
        if not options or brigadier_user is None:
            continue
        arrived = closed + datetime.timedelta(days=rng.randint(2, 14)) if rng.random() < 0.7 else None
        rows.append((rng.choice(options), rng.choice(["Anna", "Bram", "Esra", "Karim"]), closed, brigadier_user, closed,
                     arrived if arrived and arrived < scale.now else None))  # fmt: skip
    copy_rows(ExpectedVisitor, ["location", "first_name", "consent_at", "announced_by", "announced_at", "arrived_at"], rows)  # fmt: skip
    scale.say(f"  {len(rows):,} residents referred to a meeting place and expected there.")
