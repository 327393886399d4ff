import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import include, path

from meedoen.accounts.access import public, roles
from meedoen.accounts.middleware import AccessRuleMiddleware
from meedoen.accounts.models import Role
from meedoen.privacy.models import AccessLog


def unmarked(request):
    return HttpResponse("secret")


urlpatterns = [
    path("unmarked/", unmarked),
    path("open/", public(lambda request: HttpResponse("open"))),
    path("hosts/", roles(Role.HOST)(lambda request: HttpResponse("hosts"))),
    path("", include("meedoen.urls")),  # the error pages link to the home page
]


@pytest.fixture
def urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.usefixtures("urls")
class TestDefaultDeny:
    def test_view_without_a_rule_is_refused_even_for_the_administrator(self, client, users):
        client.force_login(users[Role.ADMIN])
        assert client.get("/unmarked/").status_code == 403

    def test_view_without_a_rule_is_refused_for_anonymous(self, client, db):
        assert client.get("/unmarked/").status_code == 403

    def test_public_view_is_open(self, client, db):
        assert client.get("/open/").content == b"open"

    def test_role_rule_admits_that_role(self, client, users):
        client.force_login(users[Role.HOST])
        assert client.get("/hosts/").status_code == 200

    def test_role_rule_refuses_other_roles_and_logs_the_refusal(self, client, users):
        client.force_login(users[Role.PROFESSIONAL])
        assert client.get("/hosts/").status_code == 403
        entry = AccessLog.objects.get()
        assert (entry.username, entry.result, entry.object_type, entry.object_id) == (
            "demo-professional",
            "denied",
            "page",
            "/hosts/",
        )

    def test_role_rule_sends_anonymous_to_login(self, client, db):
        response = client.get("/hosts/")
        assert response.status_code == 302
        assert response.url == "/accounts/login/?next=/hosts/"

    def test_inactive_user_is_refused(self, client, users):
        user = users[Role.HOST]
        user.is_active = False
        user.save()
        request = RequestFactory().get("/hosts/")
        request.user = user
        view = roles(Role.HOST)(lambda r: HttpResponse())
        with pytest.raises(PermissionDenied):
            AccessRuleMiddleware(lambda r: None).process_view(request, view, (), {})
