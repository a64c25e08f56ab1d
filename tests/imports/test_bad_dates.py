"""Dates are dd/mm/yyyy (or XLSX date cells); an impossible or differently written date is an
error on its row and column."""
from datetime import date, datetime

from members.models import Member

from .conftest import MEMBER_HEADERS, csv_bytes, messages, run_import, xlsx_bytes


def member(born="17/05/1990", admitted="02/03/2015", official="02/03/2016", card="0001"):
    return ["Nguyễn Văn An", born, "Nam", "", "", "B1", card, admitted, official, ""]


def test_the_31st_of_february_and_month_13_are_refused(users, tree):
    rows = [member(born="31/02/2020", card="0001"), member(admitted="2020-13-01", card="0002"),
            member(official="02.03.2016", card="0003")]
    assert messages(run_import("members", csv_bytes(MEMBER_HEADERS, rows), users.admin)) == [
        "dòng 2, cột Ngày sinh: ngày “31/02/2020” không có thật.",
        "dòng 3, cột Ngày vào Đảng: “2020-13-01” không phải ngày; ghi theo dạng dd/mm/yyyy, ví "
        "dụ 02/09/2020.",
        "dòng 4, cột Ngày chính thức: “02.03.2016” không phải ngày; ghi theo dạng dd/mm/yyyy, "
        "ví dụ 02/09/2020.",
    ]
    assert not Member.objects.exists()


def test_xlsx_date_cells_are_read_as_dates(users, tree):
    row = ["Nguyễn Văn An", datetime(1990, 5, 17), "Nam", "", "", "B1", 1234,
           date(2015, 3, 2), "02/03/2016", ""]
    outcome = run_import("members", xlsx_bytes(MEMBER_HEADERS, [row]), users.admin)
    assert outcome.ok, messages(outcome)
    m = Member.objects.get()
    assert (m.birth_date, m.admitted_date, m.card_number) == (
        date(1990, 5, 17), date(2015, 3, 2), "1234")


def test_a_date_in_the_future_is_an_error(users, tree):
    outcome = run_import("members", csv_bytes(MEMBER_HEADERS, [member(official="01/01/2999")]),
                         users.admin)
    assert messages(outcome) == ["dòng 2, cột Ngày chính thức: ngày 01/01/2999 là ngày trong "
                                 "tương lai."]
