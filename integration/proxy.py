"""The client's address behind the configured number of trusted reverse proxies.

Each trusted proxy appends the address it received the request from to X-Forwarded-For,
so only the last PROXY_COUNT entries were written by someone we trust; anything further
left was sent by the client and may be invented. The client is therefore the PROXY_COUNT-th
entry from the right. Without proxies (PROXY_COUNT = 0) the header is ignored altogether.
"""

import ipaddress

from django.conf import settings

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"
PEER_KEY = "PROXY_PEER_ADDR"  # where the middleware keeps the address the socket saw


def _valid(candidate: str) -> str | None:
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address, as far as the trusted proxies vouch for it.

    A header shorter than PROXY_COUNT (a proxy bypassed or misconfigured), or an entry that
    is not an address, gives the nearest peer instead: never a value the client chose.
    """
    peer = request.META.get(PEER_KEY, request.META.get("REMOTE_ADDR"))
    count = settings.PROXY_COUNT
    if count == 0:
        return peer
    entries = [e for e in request.META.get(FORWARDED_HEADER, "").split(",") if e.strip()]
    if len(entries) < count:
        return peer
    return _valid(entries[-count]) or peer


class ClientAddressMiddleware:
    """Put the real client address in REMOTE_ADDR, for everything that reads it.

    Django's error reports, django-axes and any later code then see the client instead of
    the proxy. The socket's peer stays available under META["PROXY_PEER_ADDR"].
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.setdefault(PEER_KEY, request.META.get("REMOTE_ADDR"))
        address = client_address(request)
        if address:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
