"""One upload reports every error of every row: a row with a bad date does not hide an unknown
branch code on another row."""
from .conftest import CANDIDATE_HEADERS, MEMBER_HEADERS, csv_bytes, messages, run_import


def member(code="B1", born="17/05/1990", card="0001"):
    return ["Nguyễn Văn An", born, "Nam", "", "", code, card, "02/03/2015", "02/03/2016", ""]


def test_an_unknown_branch_and_a_bad_date_on_other_rows_are_reported_together(users, tree):
    rows = [member(born="31/02/1990", card="0001"), member(code="KHONG-CO", card="0002")]
    got = messages(run_import("members", csv_bytes(MEMBER_HEADERS, rows), users.admin))
    assert "dòng 2, cột Ngày sinh: ngày “31/02/1990” không có thật." in got
    assert "dòng 3, cột Mã tổ chức: không có tổ chức nào mã “KHONG-CO”." in got


def candidate(code="B1", born="17/05/1995", cid=""):
    row = dict.fromkeys(CANDIDATE_HEADERS, "")
    row.update({"Họ và tên": "Trần Thị Bình", "Ngày sinh": born, "Giới tính": "Nữ",
                "Mã tổ chức": code, "Ngày vào danh sách dự nguồn": "01/03/2024",
                "Số CCCD": cid})
    return [row[h] for h in CANDIDATE_HEADERS]


def test_candidates_report_an_unknown_branch_beside_a_bad_date(users, tree):
    rows = [candidate(born="31/02/1995", cid="001095000001"),
            candidate(code="KHONG-CO", cid="001095000002")]
    got = messages(run_import("candidates", csv_bytes(CANDIDATE_HEADERS, rows), users.admin))
    assert "dòng 2, cột Ngày sinh: ngày “31/02/1995” không có thật." in got
    assert "dòng 3, cột Mã tổ chức: không có tổ chức nào mã “KHONG-CO”." in got


def test_a_row_with_a_bad_date_still_has_its_branch_code_checked(users, tree):
    rows = [member(code="KHONG-CO", born="31/02/1990", card="0001")]
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, rows), users.admin)) == [
        "dòng 2, cột Ngày sinh: ngày “31/02/1990” không có thật.",
        "dòng 2, cột Mã tổ chức: không có tổ chức nào mã “KHONG-CO”.",
    ]


def test_a_candidate_row_with_a_bad_date_still_has_its_branch_code_checked(users, tree):
    rows = [candidate(code="KHONG-CO", born="31/02/1995", cid="001095000001")]
    got = messages(run_import("candidates", csv_bytes(CANDIDATE_HEADERS, rows), users.admin))
    assert got == [
        "dòng 2, cột Ngày sinh: ngày “31/02/1995” không có thật.",
        "dòng 2, cột Mã tổ chức: không có tổ chức nào mã “KHONG-CO”.",
    ]


# The preview lists the rows that will be created or changed, old → new, capped.

def upload(client, kind, data, name="tep.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = client.post(reverse("members:import_upload", args=[kind]),
                           {"file": SimpleUploadedFile(name, data)})
    return client.get(response.url).content.decode()


def test_the_preview_lists_new_rows_and_changes_old_to_new(as_user, users, tree):
    from members.models import Member

    client = as_user(users.department)
    upload(client, "members", csv_bytes(MEMBER_HEADERS, [member(card="0001")]))
    from django.urls import reverse

    from members.models import ImportJob
    client.post(reverse("members:import_confirm", args=[ImportJob.objects.get().pk]))
    assert Member.objects.count() == 1
    changed = member(card="0001")
    changed[9] = "Đại học"
    page = upload(client, "members", csv_bytes(MEMBER_HEADERS, [
        changed, ["Lê Văn Cường", "01/01/1991", "Nam", "", "", "B1", "0002", "02/03/2015", "",
                  ""]]))
    assert "Các dòng sẽ thêm mới hoặc thay đổi" in page
    assert "Trình độ chuyên môn: (trống) → Đại học" in page
    assert "Thêm mới" in page and "Họ và tên: Lê Văn Cường" in page
    assert "dòng khác" not in page


def test_a_long_preview_is_capped_with_the_count_of_the_other_rows(as_user, users, tree,
                                                                   settings):
    rows = [[f"Người {n}", "17/05/1990", "Nam", "", "", "B1", f"{n:04}", "02/03/2015", "", ""]
            for n in range(1, 206)]
    page = upload(as_user(users.department), "members", csv_bytes(MEMBER_HEADERS, rows))
    assert "Họ và tên: Người 200" in page and "Người 201" not in page
    assert "và 5 dòng khác" in page


def test_a_streamed_candidates_file_keeps_only_the_first_rows_for_the_preview(users, tree):
    from members.importing import PREVIEW_ROWS

    rows = [candidate(cid=f"0010950{n:05}") for n in range(1, PREVIEW_ROWS + 31)]
    for n, row in enumerate(rows):
        row[0] = f"Người {n}"
    outcome = run_import("candidates", csv_bytes(CANDIDATE_HEADERS, rows), users.admin,
                         commit=False)
    assert outcome.ok, messages(outcome)
    assert outcome.created == PREVIEW_ROWS + 30 and len(outcome.preview) == PREVIEW_ROWS


# The template's example row is marked, and skipped when a user leaves it in.

def template_rows(client, kind):
    from django.urls import reverse

    from .conftest import xlsx_cells

    response = client.get(reverse("members:import_template", args=[kind]))
    return xlsx_cells(b"".join(response.streaming_content))


def test_the_templates_example_row_is_marked_as_an_example(as_user, users, tree):
    rows = template_rows(as_user(users.secretary), "members")
    assert rows[1][0].startswith("(Ví dụ)")


def test_an_upload_with_the_example_row_left_in_skips_it_and_says_so(as_user, users, tree):
    from .conftest import xlsx_bytes

    client = as_user(users.department)
    headers, example = template_rows(client, "members")[:2]
    data = xlsx_bytes(headers, [example, ["Lê Văn Cường", "01/01/1991", "Nam", "", "", "B1",
                                          "0002", "02/03/2015", "", ""]])
    page = upload(client, "members", data, name="tep.xlsx")
    assert "Đã bỏ qua dòng ví dụ của tệp mẫu (dòng 2)." in page
    assert "Tệp hợp lệ" in page and "Xác nhận nhập 1 dòng" in page


def test_a_file_with_only_the_example_row_is_refused_with_a_clear_message(users, tree):
    from members.resources import MemberResource

    resource = MemberResource()
    data = csv_bytes(resource.headers(), [resource.example_row("B1")])
    assert messages(run_import("members", data, users.admin)) == [
        "Tệp chỉ có dòng ví dụ của tệp mẫu, không có dòng dữ liệu nào: hãy ghi dữ liệu vào các "
        "dòng dưới dòng tiêu đề."]
