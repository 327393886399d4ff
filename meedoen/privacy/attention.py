"""The privacy officer's panel on the home page: refused accesses of the last seven days."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.models import Role
from meedoen.core.attention import Item, Panel, provider
from meedoen.privacy.models import AccessResult
from meedoen.privacy.selectors import access_log_for

LIMIT = 5


@provider
def privacy_panels(user) -> list[Panel]:
    if user.role != Role.PRIVACY_OFFICER:
        return []
    since = timezone.localdate() - datetime.timedelta(days=7)
    refused = access_log_for(user).filter(result=AccessResult.DENIED, at__date__gte=since).order_by("-at", "-id")
    return [
        Panel(
            title=_("Refused accesses"),
            empty=_("No refused accesses in the last 7 days."),
            items=[
                Item(text=f"{entry.at:%d-%m %H:%M} · {entry.username} · {entry.object_type} {entry.object_id}")
                for entry in refused[:LIMIT]
            ],
            more_url=f"{reverse('privacy:access_log')}?result={AccessResult.DENIED}",
        )
    ]
