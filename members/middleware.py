"""Vietnamese unless the user picked another language in the footer.

Django's LocaleMiddleware would follow the browser's Accept-Language and show English to
every officer whose computer is set up in English; the product's language is Vietnamese.
"""
from django.conf import settings
from django.utils import translation


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
