"""Zelfregiecentrum part of `seed_scale`: three meeting places per region with walk-in hours six afternoons a week,
every session of the history counted (about the real project's 8,000 visitors per three places in 18 months),
weekly activities with their attendance, and registered participants."""

import datetime

from django.contrib.auth.hashers import make_password

from meedoen.accounts.models import District, Role, User
from meedoen.accounts.scale import BENCH_PASSWORD
from meedoen.core.bulk import copy_rows
from meedoen.core.scale import DISTRICTS_PER_REGION, Scale, aware
from meedoen.privacy.scale import pseudonym_for
from zelfregie.models import Activity, Location, LocationHost, Occurrence, Participant, Session, WalkInHours

PLACES_PER_REGION = 3
AHEAD_DAYS = 28  # sessions planned ahead, as the nightly task does
OPEN, CLOSE = datetime.time(13), datetime.time(17)
ACTIVITIES = [("Samen koken", 3, datetime.time(17, 30)), ("Wandelgroep", 1, datetime.time(10)),
              ("Creatief atelier", 4, datetime.time(14))]  # fmt: skip
PARTICIPANTS_PER_PLACE = 40


def seed(scale: Scale) -> None:
    rng = scale.rng
    districts = list(District.objects.order_by("pk"))
    password = make_password(BENCH_PASSWORD)
    places, hosts = [], []
    for start in range(0, len(districts), DISTRICTS_PER_REGION):
        region = start // DISTRICTS_PER_REGION + 1
        for number, district in enumerate(districts[start : start + DISTRICTS_PER_REGION : 3][:PLACES_PER_REGION]):
            name = f"Huis van de Buurt {district.name}"
            places.append(Location(name=name, slug=f"huis-{district.cbs_code.lower()}", district=district,
                                   address=f"Buurtplein {number + 1}"))  # fmt: skip
            hosts += [User(username=f"r{region:03d}.host{len(places):03d}{seat}", first_name="Gastvrouw",
                           last_name=name, role=Role.HOST, password=password) for seat in "ab"]  # fmt: skip
    places = Location.objects.bulk_create(places)
    hosts = User.objects.bulk_create(hosts)
    LocationHost.objects.bulk_create(
        LocationHost(location=place, user=host) for index, place in enumerate(places) for host in hosts[2 * index : 2 * index + 2]
    )  # fmt: skip
    WalkInHours.objects.bulk_create(
        WalkInHours(location=place, weekday=weekday, start_time=OPEN, end_time=CLOSE)
        for place in places for weekday in range(6)
    )  # fmt: skip
    last = scale.today + datetime.timedelta(days=AHEAD_DAYS)
    days = [scale.start + datetime.timedelta(days=offset) for offset in range((last - scale.start).days + 1)]
    days = [day for day in days if day.weekday() < 6]

    def sessions():
        for place in places:
            for day in days:
                visitors = rng.randint(2, 10) if day < scale.today else 0
                yield place.pk, day, OPEN, CLOSE, visitors, min(visitors, rng.choice((0, 0, 0, 1, 1, 2)))

    counted = copy_rows(Session, ["location", "date", "start_time", "end_time", "visitors", "new_visitors"], sessions())
    activities = Activity.objects.bulk_create(
        Activity(location=place, title=title, organiser_host=hosts[2 * index], first_date=scale.start,
                 start_time=starts, end_time=(datetime.datetime.combine(scale.start, starts) + datetime.timedelta(hours=2)).time())
        for index, place in enumerate(places) for title, _, starts in ACTIVITIES
    )  # fmt: skip

    def occurrences():
        for activity in activities:
            weekday = next(day for title, day, _ in ACTIVITIES if title == activity.title)
            host = activity.organiser_host_id
            for day in days:
                if day.weekday() == weekday:
                    past = day < scale.today
                    yield (activity.pk, day, activity.start_time, activity.end_time, rng.randint(3, 12) if past else None,
                           host if past else None, aware(day, 20 * 60) if past else None)  # fmt: skip

    held = copy_rows(Occurrence, ["activity", "date", "start_time", "end_time", "attendance", "attendance_noted_by",
                                  "attendance_noted_at"], occurrences())  # fmt: skip
    base = Participant.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    participants = []
    for index, place in enumerate(places):
        for number in range(PARTICIPANTS_PER_PLACE):
            consent = aware(scale.today - datetime.timedelta(days=rng.randint(1, 330)), 14 * 60)
            participants.append((place.pk, "D-" + pseudonym_for(base + len(participants) + 1)[2:],
                                 f"Deelnemer {number + 1}", consent, "Ik geef toestemming.",
                                 (consent + datetime.timedelta(days=365)).date(), hosts[2 * index].pk))  # fmt: skip
    copy_rows(Participant, ["location", "pseudonym", "first_name", "consent_at", "consent_text", "retain_until",
                            "registered_by"], participants)  # fmt: skip
    visitors = Session.objects.filter(location__in=places).values_list("visitors", flat=True)
    scale.say(
        f"Zelfregiecentrum: {len(places)} meeting places, {counted:,} walk-in sessions with {sum(visitors):,} visits, "
        f"{held:,} activity dates, {len(participants):,} participants."
    )
