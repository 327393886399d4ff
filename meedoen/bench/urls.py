"""The app's URLs plus a bare view: the ceiling a page's throughput is compared with in `make bench`."""

from django.http import HttpResponse
from django.urls import path

from meedoen.accounts.access import public
from meedoen.urls import urlpatterns as app_urlpatterns


@public
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]
