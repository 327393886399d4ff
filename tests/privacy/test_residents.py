import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from meedoen.accounts.models import Role
from meedoen.privacy import crypto
from meedoen.privacy.models import AccessLog, Resident
from meedoen.privacy.selectors import known_resident
from meedoen.privacy.services import resident_create, resident_update

BIRTHDAY = datetime.date(1971, 3, 14)


def raw_columns(resident, *columns):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM privacy_resident WHERE id = %s", [resident.pk])  # noqa: S608
        return cursor.fetchone()


@pytest.fixture
def professional(make_user):
    return make_user(role=Role.PROFESSIONAL)


@pytest.fixture
def resident(professional):
    return resident_create(
        created_by=professional,
        full_name="Jan de Vriés",
        date_of_birth=BIRTHDAY,
        street="Breestraat",
        house_number="12a",
        postcode="2311 CS",
        phone="06-12345678",
    )


def test_identifying_fields_are_encrypted_at_rest(resident):
    stored = raw_columns(resident, "full_name", "date_of_birth", "street", "postcode", "phone")
    for value in stored:
        assert value.startswith("gAAAAA"), "a Fernet token"
    joined = " ".join(stored)
    for plain in ("Vri", "1971", "Breestraat", "2311", "0612"):
        assert plain not in joined


def test_identifying_fields_read_back_as_plain_values(resident):
    fresh = Resident.objects.get(pk=resident.pk)
    assert (fresh.full_name, fresh.date_of_birth, fresh.postcode) == ("Jan de Vriés", BIRTHDAY, "2311 CS")


def test_resident_gets_a_readable_pseudonym(resident):
    assert resident.pseudonym.startswith("B-") and len(resident.pseudonym) == 8
    assert str(resident) == resident.pseudonym


def test_already_known_matches_name_and_birth_date_regardless_of_spelling_details(resident):
    assert known_resident(full_name="  jan DE vries ", date_of_birth=BIRTHDAY) == resident


def test_an_address_alone_never_matches_a_named_person(resident):
    assert known_resident(postcode="2311cs", house_number="12A") is None


def test_an_address_only_record_is_found_by_its_address(professional):
    worry = resident_create(created_by=professional, postcode="2312 AB", house_number="7")
    assert known_resident(postcode="2312ab", house_number="7") == worry


def test_already_known_does_not_match_another_birth_date(resident):
    assert known_resident(full_name="Jan de Vries", date_of_birth=datetime.date(1971, 3, 15)) is None


def test_already_known_needs_both_parts_of_a_key(resident):
    assert known_resident(full_name="Jan de Vries") is None
    assert known_resident(postcode="2311 CS") is None


def test_blind_index_depends_on_the_key(resident, settings):
    settings.BLIND_INDEX_KEY = "another-key"
    assert known_resident(full_name="Jan de Vries", date_of_birth=BIRTHDAY) is None


def test_create_and_update_are_logged(resident, professional):
    resident_update(resident=resident, changed_by=professional, phone="071-1234567")
    actions = list(AccessLog.objects.order_by("id").values_list("action", "resident_id", "username"))
    assert actions == [
        ("create", resident.pk, professional.username),
        ("update", resident.pk, professional.username),
    ]


def test_update_refreshes_the_blind_index(resident, professional):
    resident_update(resident=resident, changed_by=professional, date_of_birth=datetime.date(1971, 3, 15))
    assert known_resident(full_name="Jan de Vries", date_of_birth=BIRTHDAY) is None
    assert known_resident(full_name="Jan de Vries", date_of_birth=datetime.date(1971, 3, 15)) == resident


def test_rotating_the_encryption_key_keeps_data_readable_with_only_the_new_key(resident, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = crypto.Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert Resident.objects.get(pk=resident.pk).full_name == "Jan de Vriés"


def test_reading_with_a_missing_key_fails_loudly(resident, settings):
    settings.FIELD_ENCRYPTION_KEYS = [crypto.Fernet.generate_key().decode()]
    with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEYS"):
        Resident.objects.get(pk=resident.pk)
