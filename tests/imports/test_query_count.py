"""An import looks things up in bulk and writes in bulk: its query count does not grow with
the rows (beyond the batching of bulk writes)."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MemberFactory

from .conftest import MEMBER_HEADERS, candidates_csv, csv_bytes, full_history, run_import


def count_queries(fn, *, reads=False):
    """The queries `fn` runs; with `reads`, only those that are not bulk INSERT batches."""
    with CaptureQueriesContext(connection) as ctx:
        outcome = fn()
    assert outcome.ok, [str(e) for e in outcome.errors][:3]
    return len([q for q in ctx.captured_queries
                if not (reads and q["sql"].lstrip().upper().startswith("INSERT"))])


def candidate_file(n, offset=0):
    return candidates_csv(*[full_history(**{
        "Họ và tên": f"Người Thứ {i + offset}", "Số CCCD": f"{i + offset:012d}",
        "Đảng viên theo dõi, giúp đỡ": f"H{i % 3}"}) for i in range(n)])


def test_importing_candidates_with_history_takes_a_bounded_number_of_queries(users, tree):
    for i in range(3):
        MemberFactory(organisation=tree.b1, card_number=f"H{i}")
    small = count_queries(lambda: run_import("candidates", candidate_file(5), users.admin))
    large = count_queries(lambda: run_import("candidates", candidate_file(60, 1000),
                                             users.admin))
    # 55 more candidates, each with 9 events, a member, 2 decisions and a history row for the
    # candidate and the member: a few more insert batches at most (SQLite caps the parameters
    # of one statement), never a query per row.
    assert small <= 40
    assert large - small <= 16, (small, large)


def test_every_query_but_the_insert_batches_is_the_same_for_5_rows_or_60(users, tree):
    for i in range(3):
        MemberFactory(organisation=tree.b1, card_number=f"H{i}")
    small = count_queries(lambda: run_import("candidates", candidate_file(5), users.admin),
                          reads=True)
    large = count_queries(lambda: run_import("candidates", candidate_file(60, 1000),
                                             users.admin), reads=True)
    assert small == large


def test_importing_members_takes_a_bounded_number_of_queries(users, tree):
    def rows(n, offset):
        return [[f"Người {i}", "17/05/1990", "Nam", "", "", "B1", f"{i + offset:06d}",
                 "02/03/2015", "", ""] for i in range(n)]

    small = count_queries(lambda: run_import("members", csv_bytes(MEMBER_HEADERS, rows(5, 0)),
                                             users.department), reads=True)
    large = count_queries(lambda: run_import("members", csv_bytes(MEMBER_HEADERS,
                                                                  rows(200, 1000)),
                                             users.department), reads=True)
    # Only the INSERT batches grow (SQLite caps the parameters of one statement, and a member
    # row has a dozen columns); no other query is added for 200 rows instead of 5.
    assert large <= small, (small, large)
