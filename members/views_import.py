"""Import and export pages: one import page per kind (template, upload, preview with the
error list, confirmation, summary) and one export view for every list, in the same layout."""
import tempfile

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import importing, registry, selectors
from .auth import role_required
from .models import ImportJob
from .resources import csv_chunks, write_xlsx

# Where each kind's list lives, for the "back to the list" link after an import.
LIST_PAGES = {
    "organisations": "members:organisations",
    "members": "members:member_list",
    "candidates": "recruitment:candidate_list",
    "classes": "recruitment:class_list",
    "enrolments": "recruitment:class_list",
    "targets": "reports:index",
}
# The Vietnamese words of each kind in the names of the files downloaded (no diacritics, so
# every system keeps them intact): `mau-nhap-quan-chung.xlsx`,
# `danh-sach-quan-chung-01-12-2026.csv`.
FILE_SLUGS = {
    "organisations": "to-chuc",
    "members": "dang-vien",
    "headcounts": "so-can-bo-cong-chuc",
    "movements": "bien-dong-dang-vien",
    "candidates": "quan-chung",
    "classes": "lop-boi-duong",
    "enrolments": "hoc-vien-lop-boi-duong",
    "targets": "chi-tieu-ket-nap",
    "worklist": "viec-can-lam",
}
SHOWN_PROBLEMS = 500  # a page lists this many errors; the count says how many there are


def _resource_or_404(request, kind):
    if kind not in importing.kinds_for(request.user):
        raise Http404
    return importing.resource_class(kind)()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp dữ liệu (XLSX hoặc CSV UTF-8)"),
        error_messages={"empty": gettext_lazy("Tệp rỗng: không có tiêu đề cột và không có dòng "
                                              "dữ liệu nào."),
                        "required": gettext_lazy("Hãy chọn một tệp.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered to administrators only: anyone else's file is judged by every hard rule.
        if importing.may_load_legacy_records(user):
            self.fields["legacy_records"] = forms.BooleanField(
                required=False,
                label=gettext_lazy("Nạp hồ sơ giấy cũ (quy tắc bắt buộc chỉ ghi cảnh báo)"),
                help_text=gettext_lazy(
                    "Chỉ dùng khi nạp một lần hồ sơ giấy đã có từ trước: bước vi phạm quy tắc "
                    "bắt buộc vẫn được nhập, kèm cảnh báo, thay vì bị từ chối."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.max_upload_bytes():
            raise forms.ValidationError(importing.too_large(upload.size))
        return upload


@role_required
def import_index(request):
    kinds = importing.kinds_for(request.user)
    if not kinds:
        raise Http404
    return render(request, "imports/index.html", {
        "kinds": [(k, importing.resource_class(k).title) for k in kinds],
        "jobs": selectors.import_jobs_visible_to(request.user)[:15],
        "titles": _titles(),
    })


def _titles():
    return {k: importing.resource_class(k).title for k in importing.available_kinds()}


@role_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    resource = _resource_or_404(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            kind=kind, user=request.user, file=upload, filename=upload.name[:255],
            legacy_records=form.cleaned_data.get("legacy_records", False))
        importing.queue(job)
        return redirect("members:import_job", pk=job.pk)
    return render(request, "imports/upload.html", {
        "kind": kind, "title": resource.title, "columns": resource.columns(), "form": form,
        "max_mb": importing.max_upload_mb(),
    }, status=400 if form.errors else 200)


@role_required
def import_template(request, kind):
    resource = _resource_or_404(request, kind)
    branch = selectors.branches_visible_to(request.user).order_by("path").first()
    notes = [(_("Cột"), _("Bắt buộc"), _("Ghi chú"))] + [
        (c.column_name, _("có") if c.required else "", c.hint) for c in resource.columns()]
    notes.append(("", "", ""))
    notes.append((_("Ngày ghi dd/mm/yyyy; Giới tính: Nam / Nữ; Có / Không (để trống là Không)."),
                  "", ""))
    notes.append((_("Dòng 2 là dòng ví dụ (ô đầu ghi “(Ví dụ)”): ghi đè hoặc xóa đi; nếu để "
                    "nguyên, dòng này được bỏ qua khi nhập."), "", ""))
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1048576)
    write_xlsx(out, resource.headers(), [resource.example_row(branch.code if branch else "")],
               title=str(resource.title), notes=notes)
    out.seek(0)
    name = f"mau-nhap-{FILE_SLUGS.get(kind, kind)}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX_TYPE)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required
def import_job(request, pk):
    job = get_object_or_404(selectors.import_jobs_visible_to(request.user), pk=pk)
    importing.fail_if_stale(job)
    outcome = importing.Outcome.from_dict(job.result) if job.result else None
    try:
        list_url = reverse(LIST_PAGES.get(job.kind, "home"))
    except NoReverseMatch:
        list_url = reverse("home")
    return render(request, "imports/job.html", {
        "job": job, "outcome": outcome, "S": ImportJob.Status,
        "title": _titles().get(job.kind, job.kind),
        "errors": outcome.errors[:SHOWN_PROBLEMS] if outcome else [],
        "warnings": outcome.warnings[:SHOWN_PROBLEMS] if outcome else [],
        "more_rows": max(outcome.created + outcome.updated - len(outcome.preview), 0)
        if outcome else 0,
        "list_url": list_url,
    })


@role_required
@require_POST
def import_confirm(request, pk):
    job = get_object_or_404(selectors.import_jobs_visible_to(request.user), pk=pk)
    # Compare-and-set: a double click (or two tabs) applies the file once.
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).exclude(
        file="").update(status=ImportJob.Status.QUEUED, commit=True, progress=0, message="")
    if claimed:
        job.refresh_from_db()
        importing.queue(job)
    elif not job.file:
        messages.error(request, importing.file_purged_message())
    return redirect("members:import_job", pk=job.pk)


@role_required
@require_POST
def import_retry(request, pk):
    """Queue again, with the same file, a job that failed or whose worker died."""
    job = get_object_or_404(selectors.import_jobs_visible_to(request.user), pk=pk)
    try:
        importing.retry_job(job)
    except importing.RetryRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("members:import_job", pk=job.pk)


# Export: every list in the layout of its import, with the page's own filters and scope, and
# the registered exports that are not import kinds (the worklist) in the layout they name.

@role_required
def export(request, kind, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    extra = registry.export_kinds.get(kind)
    resource_cls = importing.resource_class(extra.layout if extra else kind)
    if resource_cls is None:
        raise Http404
    resource = resource_cls()
    if extra:
        objects = registry.load(extra.rows)(request.user, request.GET)
    else:
        objects = resource.export_queryset(request.user, request.GET)
    rows = resource.export_rows(objects)
    slug = FILE_SLUGS.get(kind, kind)
    filename = f"danh-sach-{slug}-{timezone.localdate():%d-%m-%Y}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(resource.headers(), rows),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1048576)
    write_xlsx(out, resource.headers(), rows, title=str(resource.title))
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
