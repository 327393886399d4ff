"""Privacy part of `seed_scale`: residents as the pillars need them, and the access log, chained row by row."""

import datetime
from functools import cache

from django.db import connection, transaction

from meedoen.accounts.models import User
from meedoen.core.bulk import copy_rows, reserve_ids
from meedoen.core.scale import STAGED_ACCESS_LOG, Scale
from meedoen.privacy.audit import chain_hash_of, chain_key
from meedoen.privacy.crypto import encrypt
from meedoen.privacy.models import _PSEUDONYM_ALPHABET, AccessLog, AccessResult, Resident

FIRST_NAMES = ["Anna", "Bram", "Chantal", "Dirk", "Esra", "Fatima", "Gerrit", "Hanna", "Ivo", "Joke", "Karim", "Lotte",
               "Mohamed", "Nina", "Orhan", "Petra", "Rik", "Sanne", "Tom", "Yasmina"]  # fmt: skip
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters",
              "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Yilmaz", "El Amrani", "Kok"]  # fmt: skip
STREETS = ["Breestraat", "Haarlemmerstraat", "Kooilaan", "Merenwijkerweg", "Stationsweg", "Lammenschansweg"]
RESIDENT_FIELDS = ["id", "pseudonym", "full_name", "date_of_birth", "street", "house_number", "postcode", "phone",
                   "identity_hash", "address_hash", "created_at"]  # fmt: skip
ID_BLOCK = 10_000
SCRAMBLE = 0x2545F491  # odd, so that id -> pseudonym is one to one within 32**6


def pseudonym_for(resident_id: int) -> str:
    """A pseudonym that differs for every id, without drawing and checking random ones a million times."""
    number = (resident_id * SCRAMBLE) % 32**6
    return "B-" + "".join(_PSEUDONYM_ALPHABET[(number >> shift) & 31] for shift in range(25, -1, -5))


@cache
def _encrypted(value: str) -> str:
    """One token per distinct value, so that a million residents cost thousands of encryptions, not millions.
    Equal values then have equal tokens; the blind index shows that equality anyway, and the data is synthetic."""
    return encrypt(value) if value else ""


class ResidentMaker:
    """Residents made for the pillars' scale modules and written in bulk, their identifying fields encrypted."""

    def __init__(self, scale: Scale):
        self.rng = scale.rng
        self.rows: list[tuple] = []
        self.written = 0
        self.spare: list[int] = []

    def block(self, created: list[datetime.datetime]) -> int:
        """Residents with consecutive ids, one per moment in `created`; returns the first id."""
        first = reserve_ids(Resident, len(created))
        for offset, moment in enumerate(created):
            self._add(first + offset, moment)
        return first

    def new(self, created: datetime.datetime) -> int:
        """One resident; ids are taken from the sequence a block at a time."""
        if not self.spare:
            first = reserve_ids(Resident, ID_BLOCK)
            self.spare = list(range(first + ID_BLOCK - 1, first - 1, -1))
        resident_id = self.spare.pop()
        self._add(resident_id, created)
        return resident_id

    def _add(self, resident_id: int, created: datetime.datetime) -> None:
        rng = self.rng
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        born = datetime.date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
        street = house = postcode = ""
        if rng.random() < 0.2:
            street, house = rng.choice(STREETS), str(rng.randint(1, 200))
            postcode = f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGH')}{rng.choice('KLMNPRST')}"
        self.rows.append((
            resident_id, pseudonym_for(resident_id), _encrypted(name), _encrypted(born.isoformat()),
            _encrypted(street), _encrypted(house), _encrypted(postcode), "", Resident.identity_key(name, born),
            Resident.address_key(postcode, house), created,
        ))  # fmt: skip

    def write(self) -> int:
        written = copy_rows(Resident, RESIDENT_FIELDS, self.rows)
        self.rows = []
        self.written += written
        return written


def finish(scale: Scale) -> None:
    """Chain the access-log rows the pillars staged, in order of time, and write them."""
    people = {
        user.pk: (user.username, user.role, user.organisation.name if user.organisation else "")
        for user in User.objects.select_related("organisation")
    }
    previous = AccessLog.objects.order_by("-id").values_list("chain_hash", flat=True).first() or ""
    allowed, content_of, keyed = str(AccessResult.ALLOWED), AccessLog.content_of, chain_key()

    def rows(cursor):
        nonlocal previous
        while batch := cursor.fetchmany(10_000):
            for at, user_id, resident_id, object_type, object_id, action in batch:
                username, role, organisation = people.get(user_id, ("", "", ""))
                values = (at, user_id, username, role, organisation, resident_id, object_type, object_id, action)
                previous = chain_hash_of(previous, content_of(*values, allowed, None), keyed)
                yield (*values, allowed, previous)

    fields = ["at", "user", "username", "role", "organisation", "resident", "object_type", "object_id", "action",
              "result", "chain_hash"]  # fmt: skip
    with transaction.atomic():
        cursor = connection.connection.cursor(name="staged_access_log")
        cursor.itersize = 10_000
        cursor.execute(f"SELECT at, user_id, resident_id, object_type, object_id, action FROM {STAGED_ACCESS_LOG} "
                       "ORDER BY at")  # fmt: skip
        written = copy_rows(AccessLog, fields, rows(cursor))
        cursor.close()
    scale.say(f"Access log: {written:,} rows, chained.")
