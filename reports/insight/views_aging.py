"""The aging view (being built)."""
from django.http import Http404


def page(request, code):
    raise Http404


def dossiers(request, code):
    raise Http404
