"""With the demo data loaded, every demo account's home page and every page in its navigation answers."""

import os
import re

from django.core.management import call_command
from django.test import Client

from meedoen.accounts.demo import ACCOUNTS
from meedoen.accounts.models import User
from meedoen.accounts.navigation import entries_for


def test_every_navigation_page_of_every_demo_account_answers(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False
    for username, *_ in ACCOUNTS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        home = client.get("/")
        assert home.status_code == 200, username
        for entry in entries_for(user):
            page = client.get(entry["url"])
            assert page.status_code == 200, f"{username} {entry['url']}"
            # And the first link from a list page to one of its items (a signal, a request, a meeting, ...).
            detail = re.search(
                r'href="(/(?:signals|meetings|brigade/requests|brigade/assignments|zelfregie/[a-z-]+)/\d+/)"',
                page.content.decode(),
            )
            if detail:
                assert client.get(detail.group(1)).status_code == 200, f"{username} {detail.group(1)}"
