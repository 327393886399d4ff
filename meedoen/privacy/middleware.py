from django.template.response import TemplateResponse

from meedoen.privacy.audit import AccessLogError


class AccessLogFailureMiddleware:
    """A request whose access cannot be logged fails, with a clear message instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AccessLogError):
            response = TemplateResponse(request, "errors/access_log_unavailable.html", status=503)
            return response.render()
        return None
