"""Response headers that protect every page: what the browser may use, and what it may keep.

Pages of a signed-in user and downloaded files carry personal data (lists, dossiers, reports),
so no browser or proxy cache may store them; a shared office computer must not hand the next
person yesterday's member list through the back button or the disk cache.
"""
from django.utils.cache import add_never_cache_headers

# Features no page of the application uses: refused, also to anything a page might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb",
    )
)


def _is_private(request, response) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return response.get("Content-Disposition", "").lower().startswith("attachment")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _is_private(request, response):
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response
