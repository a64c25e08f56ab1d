"""Every list exports to XLSX and CSV in its import layout, with the page's filters and the
user's scope; the list pages carry the links."""
from datetime import date

import pytest
from django.urls import reverse

from recruitment.models import ClassKind, Enrolment, TrainingClass
from tests.recruitment.conftest import make_candidate

from .conftest import (
    CANDIDATE_EXPORT_HEADERS,
    MEMBER_EXPORT_HEADERS,
    ORG_HEADERS,
    export_bytes,
    xlsx_cells,
)


def csv_rows(data):
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_member_export_has_the_import_headers_and_the_page_filters(as_user, users,
                                                                        members):
    client = as_user(users.department)
    rows = csv_rows(export_bytes(client, "members", "csv", branch="B1"))
    assert rows[0] == MEMBER_EXPORT_HEADERS
    assert [r[0] for r in rows[1:]] == ["Nguyễn Thị Đào"]
    assert rows[1][1:3] == ["17/05/1990", "Nam"]
    cells = xlsx_cells(export_bytes(client, "members", "xlsx", status="probationary"))
    assert cells[0] == MEMBER_EXPORT_HEADERS and [r[0] for r in cells[1:]] == ["Trần Văn Bình"]


def test_a_secretary_exports_only_their_branch(as_user, users, members):
    rows = csv_rows(export_bytes(as_user(users.secretary), "members", "csv"))
    assert [r[5] for r in rows[1:]] == ["B1"]


def test_the_organisation_export_is_the_subtree_of_the_page(as_user, users, tree):
    client = as_user(users.department)
    rows = csv_rows(export_bytes(client, "organisations", "csv", root="GC1"))
    assert rows[0] == ORG_HEADERS
    assert [r[0] for r in rows[1:]] == ["GC1", "GC1-P", "B2", "B1"]
    assert rows[1][2:4] == ["Đảng bộ cơ sở", "DBK"]
    searched = csv_rows(export_bytes(client, "organisations", "csv", root="GC1", q="Hai"))
    assert [r[0] for r in searched[1:]] == ["B2"]
    assert as_user(users.secretary).get("/export/organisations.csv?root=GC2").status_code == 404


def test_the_candidate_export_follows_the_list_filters(as_user, users, tree, branch_members):
    make_candidate(users, tree.b1)
    make_candidate(users, tree.b1, full_name="Trần Văn Cường", citizen_id="001095000001",
                   source="trade_union")
    rows = csv_rows(export_bytes(as_user(users.department), "candidates", "csv",
                                 source="trade_union"))
    assert rows[0] == CANDIDATE_EXPORT_HEADERS
    assert [r[0] for r in rows[1:]] == ["Trần Văn Cường"]
    assert rows[1][12:15] == ["Công đoàn", "B1", "10/01/2024"]


def test_the_worklist_exports_its_candidates_in_the_candidate_layout(as_user, users, tree,
                                                                     branch_members, walk):
    c = walk(make_candidate(users, tree.b1), until="record_awareness_certificate")
    rows = csv_rows(export_bytes(as_user(users.secretary), "worklist", "csv"))
    assert rows[0] == CANDIDATE_EXPORT_HEADERS
    assert [r[0] for r in rows[1:]] == [c.full_name]  # waiting for the awareness class


def test_classes_and_their_learners_export_with_the_class_filters(as_user, users, tree,
                                                                  branch_members):
    c = make_candidate(users, tree.b1)
    awareness = TrainingClass.objects.create(
        code="DBK-NT-2024-1", kind=ClassKind.AWARENESS, organiser=tree.root, course_number="1",
        year=2024, start_date=date(2024, 3, 4), end_date=date(2024, 3, 8), place="Hội trường")
    TrainingClass.objects.create(
        code="DBK-DVM-2024-1", kind=ClassKind.NEW_MEMBER, organiser=tree.root,
        course_number="1", year=2024, start_date=date(2024, 5, 4), end_date=date(2024, 5, 8))
    Enrolment.objects.create(training_class=awareness, candidate=c, result="passed",
                             certificate_number="12/GCN", certificate_date=date(2024, 3, 8))
    client = as_user(users.department)
    classes = csv_rows(export_bytes(client, "classes", "csv", kind="awareness"))
    assert classes == [
        ["Mã lớp", "Loại lớp", "Đơn vị tổ chức", "Ngày khai giảng", "Ngày bế giảng", "Địa điểm"],
        ["DBK-NT-2024-1", "Bồi dưỡng nhận thức về Đảng", "DBK", "04/03/2024", "08/03/2024",
         "Hội trường"]]
    learners = csv_rows(export_bytes(client, "enrolments", "csv", kind="awareness"))
    assert learners == [["Mã lớp", "Họ và tên", "Ngày sinh", "Kết quả", "Số giấy chứng nhận"],
                        ["DBK-NT-2024-1", c.full_name, "17/05/1995", "Đạt", "12/GCN"]]


@pytest.mark.parametrize("url", ["/export/nothing.csv", "/export/members.pdf"])
def test_an_unknown_kind_or_format_is_not_found(as_user, users, url):
    assert as_user(users.department).get(url).status_code == 404


def test_a_user_with_no_role_cannot_export(as_user, users):
    assert as_user(users.nobody).get("/export/members.csv").status_code == 403


@pytest.mark.parametrize(("page", "links"), [
    (reverse("members:member_list") + "?branch=B1", ["/export/members.xlsx?branch=B1"]),
    (reverse("members:organisation_detail", args=["GC1"]),
     ["/export/organisations.csv?root=GC1&amp;"]),
    (reverse("recruitment:candidate_list") + "?stage=official",
     ["/export/candidates.xlsx?stage=official"]),
    (reverse("recruitment:class_list") + "?year=2024",
     ["/export/classes.csv?year=2024", "/export/enrolments.xlsx?year=2024"]),
    (reverse("recruitment:worklist"), ["/export/worklist.xlsx?"]),
])
def test_every_list_page_links_to_its_export_with_its_filters(as_user, users, tree, page,
                                                              links):
    body = as_user(users.department).get(page).content.decode()
    for link in links:
        assert link in body


def test_labels_in_files_stay_vietnamese_for_a_user_reading_english(as_user, users, members):
    from django.utils import translation

    from members.models import Sex
    from members.resources import ChoiceWidget

    with translation.override("en"):
        widget = ChoiceWidget(Sex.choices)  # built while English is active
        assert widget.render("female") == "Nữ"
        assert widget.clean("Nam") == "male"
    client = as_user(users.department)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    rows = csv_rows(export_bytes(client, "members", "csv", branch="B1"))
    assert rows[0] == MEMBER_EXPORT_HEADERS
    assert rows[1][2] == "Nam"
