"""A saved form takes its draft with it.

Every form of the project answers a successful POST with a redirect (post/redirect/get) and a
refused one by showing the form again, so one rule here covers every form that keeps a draft
(`static/js/drafts.js`, `members.models.Draft`) without a line in their views. Placed after the
second-factor middleware: its redirects do not come from a saved form.
"""
from .models import Draft


class DiscardSavedDraftMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.method == "POST" and 300 <= response.status_code < 400
                and request.user.is_authenticated):
            Draft.discard(user=request.user, path=request.path)
        return response
