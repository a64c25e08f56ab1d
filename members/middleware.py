"""Request middleware of the foundation: the language of a request, and refusing a NUL.

Vietnamese unless the user picked another language in the footer: Django's LocaleMiddleware
would follow the browser's Accept-Language and show English to every officer whose computer
is set up in English; the product's language is Vietnamese.
"""
from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Scoped to this request: the thread goes back to its previous language afterwards.
        with translation.override(language):
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


class RefuseNulMiddleware:
    """A NUL character in the path, the query string or a form is a 400.

    PostgreSQL refuses NUL inside text, so a search for "%00" would otherwise fail deep in a
    query as a 500. No person types one: refusing the request here covers every list, search,
    export and form at once, present and future, instead of cleaning each filter by hand.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (
                request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(
                _("Yêu cầu có ký tự không hợp lệ (NUL); hãy sửa lại địa chỉ hoặc nội dung đã "
                  "nhập."), content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in data.lists())
