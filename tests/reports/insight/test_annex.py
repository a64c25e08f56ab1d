"""The annex of the four insight views: one PDF (read back as text) and one workbook with the
same numbers as the pages, for a small scope at once and for a large one once the worker has
computed it."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from recruitment.rules import today
from reports import views
from reports.insight import snapshots, units
from reports.insight.common import Scope, units_of
from reports.models import InsightSnapshot
from reports.periods import resolve
from tests.pdftext import pdf_text
from tests.reports.insight.test_forecast import history  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def annex_url(org, fmt, period="2025"):
    return reverse("reports:insight_annex", args=[org.code, fmt]) + f"?ky={period}"


def test_the_pdf_annex_holds_the_four_views(as_user, users, history):  # noqa: F811
    response = as_user(users.leader).get(annex_url(history.root, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "phu-luc-phan-tich-DBK-nam-2025.pdf" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    for title in ("PHỤ LỤC", "Phân tích công tác phát triển đảng viên năm 2025",
                  "1. THỜI GIAN HỒ SƠ CHỜ Ở TỪNG BƯỚC",
                  "2. KẾT QUẢ THEO NĂM VÀO DANH SÁCH QUẦN CHÚNG ƯU TÚ",
                  "3. DỰ BÁO KẾT NẠP ĐẢNG VIÊN SO VỚI CHỈ TIÊU",
                  "4. SO SÁNH CÁC ĐƠN VỊ TRỰC THUỘC",
                  "Đảng bộ Sở Một", "Đảng bộ Sở Hai", "số liệu đến ngày 31/12/2025"):
        assert title in text, title


def test_the_workbook_has_the_numbers_of_the_pages(as_user, users, history):  # noqa: F811
    response = as_user(users.department).get(annex_url(history.root, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "Thời gian chờ", "Theo năm vào nguồn", "Theo nguồn giới thiệu", "Dự báo kết nạp",
        "Xác suất theo bước", "Dự báo theo đơn vị", "So sánh đơn vị",
        "Chi bộ lâu chưa kết nạp"]
    period = resolve(history.root, "2025")
    figures = units.compute(Scope(history.root, period, today(),
                                  units_of(history.root, period)))
    rows = {r[0]: r[1:] for r in book["So sánh đơn vị"].iter_rows(min_row=2, values_only=True)}
    for row in figures.rows:
        assert rows[row.unit.name][0] == row.cells[0].value  # admissions, as on the page


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(views, "INLINE_MAX_BRANCHES", 1)


def test_a_large_scope_gives_the_annex_once_the_worker_has_computed_it(
        as_user, users, history, large, django_capture_on_commit_callbacks):  # noqa: F811
    client = as_user(users.leader)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.get(annex_url(history.root, "pdf"))
    assert response.status_code == 202
    assert "đang được tính trong nền" in response.content.decode()
    assert len(queued) == 4 and InsightSnapshot.objects.filter(data__isnull=True).count() == 4
    # The worker's task computes each view (the same function a queued task runs).
    for row in InsightSnapshot.objects.all():
        snapshots.compute_snapshot.call(row.view, row.organisation_id, row.period, row.params)
    response = client.get(annex_url(history.root, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "Đảng bộ Sở Một" in pdf_text(response.content)


def test_other_formats_are_not_found(as_user, users, tree):
    response = as_user(users.leader).get(f"/reports/insight/{tree.root.code}/annex/docx/")
    assert response.status_code == 404
