"""Bad query parameters on the list pages get a message or an empty list, never a server error."""

import pytest

from meedoen.accounts.models import Role

BAD = ["abc", "99999999999999999999", "-1", "%00", "\x00", "1e5", "' OR 1=1 --"]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(
    "role,url,param",
    [
        (Role.PROFESSIONAL, "/signals/", "q"),
        (Role.PROFESSIONAL, "/signals/", "page"),
        (Role.PROFESSIONAL, "/signals/", "order"),
        (Role.PROFESSIONAL, "/signals/", "district"),
        (Role.PROFESSIONAL, "/signals/", "reported_from"),
        (Role.PROFESSIONAL, "/signals/", "status"),
        (Role.PROFESSIONAL, "/brigade/requests/new/", "signal"),
        (Role.PROFESSIONAL, "/brigade/requests/", "page"),
        (Role.PRIVACY_OFFICER, "/privacy/access-log/", "pseudonym"),
        (Role.PRIVACY_OFFICER, "/privacy/access-log/", "page"),
        (Role.PRIVACY_OFFICER, "/privacy/retention/", "page"),
        (Role.PRIVACY_OFFICER, "/privacy/retention/", "erasures"),
        (Role.HOST, "/zelfregie/participants/", "q"),
        (Role.PROFESSIONAL, "/notifications/", "page"),
        (Role.PROJECT_LEADER, "/reports/", "start"),
        (Role.PROJECT_LEADER, "/reports/", "district"),
        (Role.PROFESSIONAL, "/reports/export/signals.csv", "q"),
        (Role.MUNICIPALITY, "/reports/quarterly/", "page"),
        (Role.MUNICIPALITY, "/api/v1/figures/", "year"),
        (Role.MUNICIPALITY, "/api/v1/figures/", "district"),
        (Role.HOST, "/agenda/", "week"),
    ],
)
def test_bad_query_parameters_never_give_a_server_error(client, users, role, url, param, value):
    client.force_login(users[role])
    assert client.get(url, {param: value}).status_code < 500
