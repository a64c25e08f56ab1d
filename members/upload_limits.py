"""The size limit of an import upload, enforced while the request arrives rather than after.

Django parses a multipart body (into a temporary file) as soon as anything asks for
`request.POST`, and middleware does so before any view runs; a form can only refuse a file
once all of it has been received. This middleware, placed before anything reads the body,
refuses an import upload whose Content-Length is over the limit before a byte of it is read,
and stops reading a file that grows past the limit while it streams in.
"""
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.urls import Resolver404, resolve

from . import importing

IMPORT_UPLOAD = "members:import_upload"
# Room in the body for what comes with the file: the boundaries, the part headers, the CSRF
# token. A file just over the limit still gets through to the form, which names its size.
FORM_OVERHEAD = 64 * 1024


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large_response(request):
    return render(request, "imports/too_large.html", {
        "max_mb": f"{importing.max_upload_mb():g}".replace(".", ","),
        "back": request.path,
    }, status=413)


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of the uploaded files and halts the upload, leaving the rest of the
    body unread, once they pass the limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > importing.max_upload_bytes():
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the handlers after this one keep the file


def _is_import_upload(request) -> bool:
    try:
        return resolve(request.path_info).view_name == IMPORT_UPLOAD
    except Resolver404:
        return False


class ImportUploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and _is_import_upload(request):
            if declared_length(request) > importing.max_upload_bytes() + FORM_OVERHEAD:
                return too_large_response(request)
            handler = LimitedUploadHandler(request)
            request.upload_handlers.insert(0, handler)
            request.POST  # noqa: B018 (parsed here, through the handler, once)
            if handler.exceeded:
                return too_large_response(request)
        return self.get_response(request)
