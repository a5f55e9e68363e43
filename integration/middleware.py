"""Cross-cutting middleware."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.template.loader import render_to_string


class HtmxLoginRedirectMiddleware:
    """Send an htmx request whose session expired to the login page as a whole page.

    Otherwise htmx would follow the redirect and swap the login form into a fragment
    (a suggestions list, a progress box).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.url.startswith(resolve_url(settings.LOGIN_URL))
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response.url
            return redirect
        return response


class MethodeNonPermiseMiddleware:
    """Give Django's empty 405 (a link to a form's URL, a POST to a page that only shows)
    a French page that says what happened; the Allow header stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method != "HEAD":
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
