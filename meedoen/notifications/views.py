from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meedoen.accounts.access import ANY_ROLE, roles
from meedoen.notifications.models import Notification
from meedoen.notifications.services import notifications_mark_read


@roles(ANY_ROLE)
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user).only(
        "subject", "body", "url", "created_at", "read_at"
    )
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@roles(ANY_ROLE)
@require_POST
def mark_read(request):
    ids = [int(value) for value in request.POST.getlist("id") if value.isascii() and value.isdigit()] or None
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("notifications:inbox")
