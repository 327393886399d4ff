from django.template.response import TemplateResponse

from meedoen.privacy.audit import AccessLogError


def access_log_unavailable(request):
    """The answer to a request whose access could not be logged: it fails, with a clear message."""
    return TemplateResponse(request, "errors/access_log_unavailable.html", status=503).render()


class AccessLogFailureMiddleware:
    """A view whose access cannot be logged fails with a clear message instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AccessLogError):
            return access_log_unavailable(request)
        return None
