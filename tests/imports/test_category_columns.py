"""The category columns: old free text is read into the statistics forms' categories, the
words kept beside them when they say more than the category's name; text naming no category
is kept with the category left empty and a warning, never an error; an export writes the
category's label and re-imports unchanged."""
from members.models import Member
from recruitment.models import Candidate

from .conftest import (
    CANDIDATE_HEADERS,
    MEMBER_HEADERS,
    candidate_row,
    csv_bytes,
    export_bytes,
    messages,
    run_import,
)


def member_row(name, card, qualification, **extra):
    row = dict(zip(MEMBER_HEADERS, [name, "01/01/1990", "Nữ", "", "", "B1", card, "05/05/2015",
                                    "05/05/2016", qualification], strict=True))
    row.update(extra)
    return row


def members_csv(*rows):
    headers = list(dict.fromkeys(h for r in rows for h in r))
    return csv_bytes(headers, [[r.get(h, "") for h in headers] for r in rows])


def test_old_qualification_text_in_the_members_file_lands_in_its_category(users, tree):
    rows = [member_row("Lê Thị Luật", "Q1", "Cử nhân Luật", **{"Trình độ học vấn": "12/12"}),
            member_row("Lê Thị Bằng", "Q2", "Đại học", **{"Trình độ học vấn": "9/12"}),
            member_row("Lê Thị Khác", "Q3", "Kỹ thuật viên", **{"Trình độ học vấn": "lớp 5"})]
    outcome = run_import("members", members_csv(*rows), users.admin)
    assert outcome.ok, messages(outcome)
    read = {m.card_number: (m.education, m.qualification, m.profession)
            for m in Member.objects.filter(card_number__startswith="Q")}
    assert read == {"Q1": ("upper_secondary", "university", "Cử nhân Luật"),
                    "Q2": ("lower_secondary", "university", ""),
                    "Q3": ("", "", "Kỹ thuật viên")}
    assert [str(w) for w in outcome.warnings] == [
        "dòng 4, cột Trình độ học vấn: không xếp được “lớp 5” vào loại nào của biểu thống kê; "
        "để trống.",
        "dòng 4, cột Trình độ chuyên môn: không xếp được “Kỹ thuật viên” vào loại nào của biểu "
        "thống kê; giữ chữ đã ghi, để trống loại."]


def test_the_member_export_writes_labels_and_reimports_unchanged(as_user, users, tree):
    rows = [member_row("Lê Thị Luật", "Q1", "Cử nhân Luật", **{"Trình độ học vấn": "12/12"}),
            member_row("Lê Thị Khác", "Q3", "Kỹ thuật viên")]
    assert run_import("members", members_csv(*rows), users.admin).ok
    data = export_bytes(as_user(users.admin), "members", "csv")
    body = data.decode("utf-8-sig")
    assert "Trung học phổ thông,Đại học,Cử nhân Luật" in body
    assert "Kỹ thuật viên,Kỹ thuật viên" in body  # no category: the words, which read back
    again = run_import("members", data, users.admin)
    assert again.ok, messages(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_candidates_qualification_and_occupation_are_read_from_old_text(users, helper):
    headers = [*CANDIDATE_HEADERS, "Nghề nghiệp"]
    rows = [candidate_row(**{"Trình độ chuyên môn": "ThS Kinh tế", "Nghề nghiệp": "Giáo viên"}),
            candidate_row(**{"Họ và tên": "Trần Văn Bê", "Số CCCD": "001195012346",
                             "Trình độ chuyên môn": "TC", "Nghề nghiệp": "Kế toán"})]
    outcome = run_import("candidates", csv_bytes(headers, [[r.get(h, "") for h in headers]
                                                           for r in rows]), users.admin)
    assert outcome.ok, messages(outcome)
    read = {c.citizen_id: (c.qualification, c.profession, c.occupation_group, c.occupation)
            for c in Candidate.objects.all()}
    assert read == {"001195012345": ("master", "ThS Kinh tế", "civil_servant", "Giáo viên"),
                    "001195012346": ("intermediate", "", "", "Kế toán")}
    assert [str(w) for w in outcome.warnings] == [
        "dòng 3, cột Nghề nghiệp: không xếp được “Kế toán” vào loại nào của biểu thống kê; giữ "
        "chữ đã ghi, để trống loại."]


def test_the_candidate_export_writes_labels_and_reimports_unchanged(as_user, users, helper):
    headers = [*CANDIDATE_HEADERS, "Nghề nghiệp"]
    row = candidate_row(**{"Trình độ chuyên môn": "Kỹ sư Xây dựng", "Nghề nghiệp": "Công nhân"})
    assert run_import("candidates", csv_bytes(headers, [[row.get(h, "") for h in headers]]),
                      users.admin).ok
    data = export_bytes(as_user(users.admin), "candidates", "csv")
    assert "Đại học,Kỹ sư Xây dựng,Công nhân,Công nhân" in data.decode("utf-8-sig")
    again = run_import("candidates", data, users.admin)
    assert again.ok, messages(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
