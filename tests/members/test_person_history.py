"""Every change to a person is kept with who, when, through what and old → new values, and
shown as "Lịch sử thay đổi" on the member and candidate pages to those who may see them."""
import importlib
import re
from datetime import date
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import history
from members.models import ImportJob, Member, MemberStatus, Role
from recruitment import services
from recruitment.models import Candidate
from tests.factories import MemberFactory, OrganisationFactory, UserFactory, grant
from tests.imports.conftest import MEMBER_HEADERS, csv_bytes
from tests.recruitment import conftest as pipeline
from tests.recruitment.conftest import make_candidate

branch_members = pipeline.branch_members  # the pipeline's fixtures, shared
walk = pipeline.walk


@pytest.fixture(autouse=True)
def plain_login(settings, tmp_path):
    settings.REQUIRE_2FA = False  # the second factor has its own tests
    settings.MEDIA_ROOT = tmp_path / "media"


def history_text(html: str) -> list[str]:
    """The history section as text: one line per entry, cells joined by " | "."""
    section = html.split('id="history-title"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)[1:]  # without the header row
    lines = []
    for row in rows:
        cells = re.findall(r"<td>(.*?)</td>", row, flags=re.S)
        text = [re.sub(r" ([:)])", r"\1", " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()))
                for c in cells]
        lines.append(" | ".join(text))
    return lines


def admin_change(client, obj, **changes):
    """Post the admin change form of `obj` as it is shown, with `changes` (form strings)."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {"_save": "1"}

    def take(form):
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = bound.field.widget.format_value(value) or ""

    take(page.context["adminform"].form)
    for inline in page.context.get("inline_admin_formsets", []):
        take(inline.formset.management_form)
        for form in inline.formset.forms:
            take(form)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.fixture
def recognised_member(users, tree, branch_members, walk, client):
    """A member made by the pipeline, recognised as official through the candidate's page."""
    users.department.first_name = "Cán bộ Ban Tổ chức"
    users.department.save()
    candidate = walk(make_candidate(users, tree.b1), until="approve_recognition")
    client.force_login(users.department)
    response = client.post(
        reverse("recruitment:candidate_action", args=[candidate.pk, "approve_recognition"]),
        {"event_date": "01/09/2025", "document_number": "210-QĐ/ĐU"})
    assert response.status_code == 302
    return Member.objects.get(pk=candidate.member_id)


def test_a_person_changed_by_a_page_an_import_and_the_admin_shows_three_entries(
        recognised_member, users, tree, client):
    member = recognised_member
    # An import through the import page, by the branch secretary: ethnicity and profession.
    client.force_login(users.secretary)
    row = [member.full_name, "17/05/1995", "Nữ", "Tày", "Không", "B1", "", "01/08/2024",
           "01/08/2025", "Kỹ sư"]
    client.post(reverse("members:import_upload", args=["members"]),
                {"file": SimpleUploadedFile("dang-vien.csv", csv_bytes(MEMBER_HEADERS, [row]))})
    job = ImportJob.objects.get()
    client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED, job.result
    # The admin, as a superuser: birth date and religion.
    client.force_login(users.admin)
    admin_change(client, member, birth_date="18/05/1995", religion="Phật giáo")

    client.force_login(users.secretary)  # B1's secretary: the import job is theirs
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    lines = history_text(page)
    print("\n".join(lines))
    assert len(lines) == 4
    admin_line, import_line, page_line, created_line = lines
    assert admin_line.endswith(
        "| quantri | Trang quản trị | Ngày sinh: 17/05/1995 → 18/05/1995 "
        "Tôn giáo: Không → Phật giáo")
    assert import_line.endswith(
        f"| bithu | Nhập tệp — lượt nhập số {job.pk} | Dân tộc: Kinh → Tày "
        "Trình độ chuyên môn: (trống) → Đại học Chuyên ngành, văn bằng: (trống) → Kỹ sư")
    assert f'href="/import/jobs/{job.pk}/"' in page
    assert page_line.endswith(
        "| Cán bộ Ban Tổ chức (bantochuc) | Trang ứng dụng | "
        "Ngày chính thức: (trống) → 01/08/2025 Tình trạng: Dự bị → Chính thức")
    assert created_line.endswith("| Tạo hồ sơ")
    assert re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d \|", admin_line)

    # Someone who may not open the import job sees the channel without the link.
    client.force_login(users.department)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert f"Nhập tệp — lượt nhập số {job.pk}" in " ".join(history_text(page))
    assert f"/import/jobs/{job.pk}/" not in page

    # A branch secretary of another branch: the page, history included, does not exist.
    outsider = UserFactory(username="bithu.b3")
    grant(outsider, Role.BRANCH_SECRETARY, tree.b3)
    client.force_login(outsider)
    response = client.get(reverse("members:member_detail", args=[member.pk]))
    assert response.status_code == 404
    assert "Kỹ sư" not in response.content.decode()


def test_a_candidate_page_leaves_plain_pipeline_steps_to_the_timeline_and_shows_corrections(
        users, tree, branch_members, client):
    candidate = make_candidate(users, tree.b1)
    services.perform("assign_helper", candidate=candidate, actor=users.secretary,
                     event_date=date(2024, 2, 1), data={"helper": branch_members.officials[0]})
    candidate.refresh_from_db()
    candidate.citizen_id = None
    candidate.sex = "male"
    candidate.save()
    client.force_login(users.secretary)
    page = client.get(reverse("recruitment:candidate_detail", args=[candidate.pk]))
    text = page.content.decode()
    correction, created = history_text(text)
    assert correction.endswith("| Lệnh quản trị | Giới tính: Nữ → Nam "
                               "Số CCCD: 001195012345 → (trống)")
    assert created.endswith("| Tạo hồ sơ")
    assert "1 bước của quy trình không nhắc lại ở đây: xem mục Quá trình." in text


def test_the_member_page_runs_the_same_queries_whatever_the_length_of_the_history(
        users, tree, client, django_assert_max_num_queries):
    third = OrganisationFactory(code="B4", name="Chi bộ Bốn", kind="branch", parent=tree.gc1)
    member = MemberFactory(full_name="Nguyễn Văn Đổi", organisation=tree.b1)
    client.force_login(users.office)
    url = reverse("members:member_detail", args=[member.pk])

    def change(n):
        for i in range(n):
            member.organisation = [tree.b2, third, tree.b1][i % 3]
            member.profession = f"Nghề {i}"
            member.save()

    change(2)
    client.get(url)  # the session and the user's grants settle on the first request
    with CaptureQueriesContext(connection) as few:
        assert len(history_text(client.get(url).content.decode())) == 3
    change(70)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    lines = history_text(page)
    assert len(lines) == history.HISTORY_LIMIT
    assert "Chi bộ: Chi bộ Một → Chi bộ Hai Chuyên ngành, văn bằng: Nghề 68 → Nghề 69" in lines[0]
    assert "Chỉ hiện 50 lần ghi gần nhất" in page


def test_removing_a_probationary_member_is_in_the_member_history(
        users, tree, branch_members, walk, client):
    candidate = walk(make_candidate(users, tree.b1), until="record_new_member_certificate")
    # Removal is resolved level by level, like the admission.
    services.perform("propose_removal", candidate=candidate, actor=users.secretary,
                     event_date=date(2025, 2, 3),
                     data={"eligible": 5, "present": 5, "votes_for": 5, "note": "Vi phạm tư cách",
                           "document_number": "3-NQ/CB"})
    services.perform("removal_resolution", candidate=candidate, actor=users.office,
                     event_date=date(2025, 2, 20),
                     data={"eligible": 9, "present": 9, "votes_for": 8,
                           "document_number": "9-NQ/ĐU"})
    services.perform("remove_probationary", candidate=candidate, actor=users.department,
                     event_date=date(2025, 3, 3),
                     data={"document_number": "5-QĐ/ĐU", "note": "Vi phạm tư cách"})
    member = Member.objects.get(pk=candidate.member_id)
    assert member.status == MemberStatus.REMOVED
    record = member.history.first()
    assert (record.history_type, record.status, record.left_date) == (
        "~", MemberStatus.REMOVED, date(2025, 3, 3))
    client.force_login(users.secretary)
    lines = history_text(client.get(reverse("members:member_detail", args=[member.pk]))
                         .content.decode())
    assert "Tình trạng: Dự bị → Đã xóa tên" in lines[0]
    assert "Ngày ra khỏi danh sách: (trống) → 03/03/2025" in lines[0]


def test_people_from_before_history_get_one_creation_row_and_only_once(users, tree):
    from django.apps import apps

    baseline = importlib.import_module("recruitment.migrations.0007_history_baseline")

    old = Member.objects.bulk_create([
        Member(full_name="Người Cũ", search_name="nguoi cu", birth_date=date(1980, 1, 1),
               sex="male", organisation=tree.b1, admitted_date=date(2005, 1, 1))])[0]
    old_candidate = Candidate.objects.bulk_create([Candidate(
        full_name="Quần Chúng Cũ", birth_date=date(1999, 1, 1), sex="female",
        education="upper_secondary", organisation=tree.b1, added_date=date(2020, 1, 1),
        plan_year=2021,
        stage_date=date(2020, 1, 1))])[0]
    kept = MemberFactory(organisation=tree.b1)
    assert not old.history.exists() and not old_candidate.history.exists()

    baseline.forwards(apps, None)
    baseline.forwards(apps, None)

    (row,) = old.history.all()
    assert (row.history_type, row.history_channel, row.full_name, row.organisation_id) == (
        "+", "command", "Người Cũ", tree.b1.pk)
    assert old_candidate.history.get().history_type == "+"
    assert kept.history.count() == 1
    old.full_name = "Người Cũ Đổi Tên"
    old.save()
    page = history.changes_of(old, may_open_jobs=lambda ids: ())
    assert [c.old for c in page.entries[0].changes] == ["Người Cũ"]


def test_the_history_selector_refuses_a_person_outside_the_users_subtree(users, members):
    from django.http import Http404

    from members.selectors import person_history

    assert person_history(users.secretary, members.m1).entries[0].kind == "created"
    with pytest.raises(Http404):
        person_history(users.secretary, members.m3)
