"""Cells starting with =, +, - or @ are written behind an apostrophe (a spreadsheet would run
them as formulas) and read back without it."""
from datetime import date

from members.history import purging
from members.models import Member, Movement
from tests.factories import MemberFactory

from .conftest import export_bytes, run_import, xlsx_cells


def test_formula_like_cells_are_escaped_on_export_and_restored_on_import(as_user, users, tree):
    texts = ["=HYPERLINK(\"http://x\")", "+84 912 345 678", "-", "@SUM(A1)", "Cử nhân"]
    for n, text in enumerate(texts):
        MemberFactory(full_name=f"Người Thứ {n}", organisation=tree.b1, profession=text,
                      card_number=f"F{n}", admitted_date=date(2015, 3, 2))
    client = as_user(users.admin)
    csv_file = export_bytes(client, "members", "csv")
    xlsx_file = export_bytes(client, "members", "xlsx")
    body = csv_file.decode("utf-8-sig")
    for text in texts[:4]:
        assert f"'{text}" in body.replace('""', '"')
    assert "'Cử nhân" not in body
    cells = [row[11] for row in xlsx_cells(xlsx_file)[1:]]  # Chuyên ngành, văn bằng
    assert sorted(cells) == sorted(["'" + t for t in texts[:4]] + ["Cử nhân"])

    with purging():  # an empty table to import into
        Movement.objects.all().delete()
        Member.objects.all().delete()
    outcome = run_import("members", xlsx_file, users.admin)
    assert outcome.ok
    assert sorted(Member.objects.values_list("profession", flat=True)) == sorted(texts)


def test_xlsx_export_never_writes_a_formula(as_user, users, tree):
    import io

    from openpyxl import load_workbook

    MemberFactory(full_name="=1+1", organisation=tree.b1)
    data = export_bytes(as_user(users.admin), "members", "xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
