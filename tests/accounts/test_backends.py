from meedoen.accounts.backends import UserBackend
from meedoen.accounts.models import Role


def test_the_user_of_a_request_comes_with_their_organisation_in_one_query(make_user, django_assert_num_queries):
    user = make_user(Role.PROFESSIONAL)
    assert user.organisation is not None
    with django_assert_num_queries(1):
        assert UserBackend().get_user(user.pk).organisation.name == user.organisation.name


def test_an_inactive_or_unknown_user_is_nobody(make_user):
    user = make_user(Role.PROFESSIONAL)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert UserBackend().get_user(user.pk) is None
    assert UserBackend().get_user(0) is None


def test_a_username_longer_than_the_lockout_record_takes_is_refused_without_an_error(client, db):
    # "e" + a combining accent is one "é" after NFKC: 140 of them pass the field's limit of 150, sent as 280.
    response = client.post("/accounts/login/", {"username": "e\u0301" * 140, "password": "x" * 12})
    assert response.status_code == 200
