"""Figures that stay true in time: every figure of a period is read from what was recorded for
its dates (movements, headcounts, organisations' dates), so what happens later changes
nothing; and the counting rules a careful officer expects (cohorts, learners who attended,
the people a unit sends, the counting basis of "kết nạp")."""
import dataclasses
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from members.models import FROM_THE_START, Movement, MovementKind, StaffHeadcount
from members.models import OrganisationKind as K
from members.movements import record_movement
from recruitment.models import ClassKind, Enrolment, Introduction, IntroductionKind, Result
from reports import documents, periods, prose
from reports.selectors import compute_figures
from tests.factories import MemberFactory, OrganisationFactory

from .conftest import admitted, candidate, training_class

pytestmark = pytest.mark.django_db
M = MovementKind


def report(org, label, today=date(2026, 11, 30), **kwargs):
    return compute_figures(org, periods.resolve(org, label), today=today, **kwargs)


def members_list(f):
    m = f.membership
    return m.at_start, m.increases, m.decreases, m.at_end


@pytest.fixture
def branch_members(tree):
    """Ten members of B1 since 2015 (their "present since" rows), two of B3."""
    return ([MemberFactory(organisation=tree.b1) for _ in range(10)]
            + [MemberFactory(organisation=tree.b3) for _ in range(2)])


def test_a_member_transferring_out_in_year_two_leaves_year_one_unchanged(tree, branch_members):
    year_one = members_list(report(tree.b1, "2023"))
    assert year_one[0] == 10 and year_one[3] == 10

    record_movement(branch_members[0], M.TRANSFER_OUT, date(2024, 3, 1),
                    outside_place="Đảng bộ tỉnh Vĩnh Phúc")
    record_movement(branch_members[1], M.TRANSFER_WITHIN, date(2024, 5, 1),
                    to_organisation=tree.b3)

    assert members_list(report(tree.b1, "2023")) == year_one
    b1 = report(tree.b1, "2024").membership
    assert (b1.at_start, b1.at_end) == (10, 8)
    assert b1.decreases["transferred_out"] == 2  # out of the tree, and to another branch
    gc1 = report(tree.gc1, "2024").membership  # B3 is under GC2: both left GC1
    assert gc1.decreases["transferred_out"] == 2
    root = report(tree.root, "2024").membership  # a move inside the tree changes nothing
    assert (root.at_start, root.at_end, root.decreases["transferred_out"]) == (12, 11, 1)
    b3 = report(tree.b3, "2024").membership
    assert (b3.at_start, b3.increases["transferred_in"], b3.at_end) == (2, 1, 3)


def test_a_death_an_expulsion_a_resignation_and_a_readmission(tree, branch_members):
    died, expelled, resigned = branch_members[:3]
    record_movement(died, M.DIED, date(2024, 2, 10))
    record_movement(expelled, M.EXPELLED, date(2024, 4, 1), document_number="12-QĐ/UBKT")
    record_movement(resigned, M.RESIGNED, date(2024, 6, 1))
    record_movement(resigned, M.READMITTED, date(2025, 9, 1), to_organisation=tree.b1,
                    decision_date=date(2025, 8, 20))

    y2024, y2025 = report(tree.b1, "2024").membership, report(tree.b1, "2025").membership
    assert (y2024.at_start, y2024.joined, y2024.left, y2024.at_end) == (10, 0, 3, 7)
    assert (y2024.decreases["died"], y2024.decreases["expelled"],
            y2024.decreases["resigned"]) == (1, 1, 1)
    assert (y2025.at_start, y2025.increases["readmitted"], y2025.at_end) == (7, 1, 8)
    f = report(tree.b1, "2025")
    assert f.admitted == 1  # a readmission is an admission ("kết nạp lại")
    text = " ".join(prose.write(f).membership)
    assert "tăng 1 (kết nạp lại 1)" in text
    assert "giảm 3 (từ trần 1, khai trừ 1, xin ra khỏi đảng 1)" in " ".join(
        prose.write(report(tree.b1, "2024")).membership)


def test_a_headcount_change_mid_year_counts_from_its_date(tree, branch_members):
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=FROM_THE_START, staff=10)
    StaffHeadcount.objects.create(organisation=tree.b1, valid_from=date(2024, 7, 1), staff=12)
    StaffHeadcount.objects.create(organisation=tree.gc1, valid_from=date(2025, 1, 1), staff=60)
    StaffHeadcount.objects.create(organisation=tree.b3, valid_from=FROM_THE_START, staff=1)

    y2023 = report(tree.root, "2023")
    assert [(h.unit.code, h.written) for h in y2023.units_all_members] == [("B1", "10/10")]
    # B3 has 2 members for 1 staff: flagged, not "100 %"; GC1 had no headcount yet.
    assert [h.unit.code for h in y2023.units_over] == ["B3"]
    gc1 = next(h for h in y2023.headcounts if h.unit.code == "GC1")
    assert gc1.missing and gc1.percent is None
    warnings = " ".join(prose.headcount_warnings(y2023))
    assert "Chưa có số cán bộ, công chức tại ngày cuối kỳ của: Đảng bộ Sở Một" in warnings
    assert "Chi bộ Ba (2/1)" in warnings

    y2024 = report(tree.gc1, "2024")
    assert y2024.units_all_members == []  # 10 of 12 from 01/07/2024
    b1 = next(h for h in report(tree.b1, "2024").headcounts if h.unit.code == "B1")
    assert (b1.members, b1.staff, str(b1.percent)) == (10, 12, "83.3")
    y2025 = report(tree.gc1, "2025")
    gc1 = next(h for h in y2025.headcounts if h.unit.code == "GC1")
    assert (gc1.members, gc1.staff) == (10, 60)


def test_the_structure_on_the_end_date_as_the_department_writes_it(tree):
    OrganisationFactory(code="B4", name="Chi bộ Bốn", kind=K.BRANCH, parent=tree.gc2,
                        opened_on=date(2025, 3, 1))
    OrganisationFactory(code="B5", name="Chi bộ Năm", kind=K.BRANCH, parent=tree.gc2,
                        dissolved_on=date(2024, 6, 30))
    f = report(tree.root, "2024")
    s = f.structure
    assert (s.grassroots, s.grassroots_committees, s.grassroots_branches, s.branches,
            s.partial_committees) == (3, 2, 1, 3, 1)
    assert prose.write(f).units[0] == (
        "Đến ngày 31/12/2024, Đảng bộ Khối có 3 tổ chức cơ sở đảng (2 đảng bộ cơ sở, 1 chi "
        "bộ cơ sở), 3 chi bộ trực thuộc, 1 đảng bộ bộ phận, với 0 đảng viên.")
    assert report(tree.root, "2025").structure.branches == 4  # B4 opened, B5 gone
    assert report(tree.root, "2023").structure.branches == 4  # B5 still there
    # A branch dissolved before the year is not "a branch that admitted nobody".
    assert "B5" not in {b.unit.code for b in f.branches_without_admission}


def test_of_those_introduced_in_the_period_only_they_are_in_trong_do(tree):
    before = admitted(tree.b1, "Đã Giới Thiệu Trước", date(2024, 3, 1), youth=True)
    Introduction.objects.create(candidate=before.candidate, kind=IntroductionKind.YOUTH_UNION,
                                resolution_ref="1/NQ", document_date=date(2023, 11, 1))
    during = admitted(tree.b1, "Giới Thiệu Trong Năm", date(2024, 9, 1), youth=True)
    Introduction.objects.create(candidate=during.candidate, kind=IntroductionKind.YOUTH_UNION,
                                resolution_ref="2/NQ", document_date=date(2024, 2, 1))
    late = admitted(tree.b1, "Kết Nạp Năm Sau", date(2025, 2, 1), youth=True)
    Introduction.objects.create(candidate=late.candidate, kind=IntroductionKind.YOUTH_UNION,
                                resolution_ref="3/NQ", document_date=date(2024, 6, 1))
    waiting = candidate(tree.b1, "Đang Chờ", stage="applied")
    Introduction.objects.create(candidate=waiting, kind=IntroductionKind.YOUTH_UNION,
                                resolution_ref="4/NQ", document_date=date(2024, 7, 1))

    f = report(tree.b1, "2024")
    assert (f.admitted, f.youth_union) == (2, 2)
    assert (f.youth_introduced, f.youth_admitted) == (3, 1)
    assert ("giới thiệu 3 đoàn viên ưu tú để Đảng xem xét, trong đó 1 đoàn viên đã được kết "
            "nạp đến ngày 31/12/2024") in " ".join(prose.write(f).sources)
    # Printed again after the 2025 admission: the cohort of 2024 is counted at 31/12/2024.
    assert report(tree.b1, "2024", today=date(2026, 1, 1)).youth_admitted == 1


def test_a_december_decision_with_a_january_ceremony(tree, settings):
    for decided, ceremony in [(date(2024, 12, 20), date(2025, 1, 8)),
                              (date(2024, 6, 1), date(2024, 6, 15))]:
        member = MemberFactory(organisation=tree.b1, admitted_date=ceremony,
                               official_date=None, status="probationary", movements=False)
        Movement.objects.create(member=member, kind=M.ADMITTED, date=ceremony,
                                decision_date=decided, to_organisation=tree.b1)
    by_decision = report(tree.b1, "2024"), report(tree.b1, "2025")
    assert [f.admitted for f in by_decision] == [2, 0]
    assert by_decision[0].membership.at_end == 2
    assert "ngày ký quyết định kết nạp" in prose.footnote(by_decision[0])

    settings.ADMISSION_COUNTED_ON = "ceremony"
    by_ceremony = report(tree.b1, "2024"), report(tree.b1, "2025")
    assert [f.admitted for f in by_ceremony] == [1, 1]
    assert by_ceremony[0].membership.at_end == 1
    assert "ngày tổ chức lễ kết nạp" in prose.footnote(by_ceremony[0])


def test_learners_are_those_who_attended_and_people_sent_count_for_the_sender(tree):
    people = [candidate(tree.b1, f"Học Viên {n}", stage="sympathiser") for n in range(4)]
    own = training_class(tree.gc1, ClassKind.AWARENESS, date(2024, 5, 10), people[:3])
    Enrolment.objects.filter(training_class=own, candidate=people[2]).update(
        result=Result.ABSENT)
    members = [MemberFactory(organisation=tree.b1) for _ in range(3)]
    by_parent = training_class(tree.root, ClassKind.NEW_MEMBER, date(2024, 8, 1), members)
    Enrolment.objects.filter(training_class=by_parent, member=members[0]).update(
        result=Result.ABSENT)

    f = report(tree.gc1, "2024")
    assert (f.awareness_classes, f.awareness_learners) == (1, 2)
    assert (f.new_member_classes, f.new_member_learners) == (0, 0)
    assert [(s.kind, s.organiser, s.count) for s in f.sent] == [
        ("new_member", "Đảng ủy Khối", 2)]
    assert ("Ngoài ra, đã cử 2 đảng viên học lớp bồi dưỡng lý luận chính trị cho đảng viên mới "
            "do Đảng ủy Khối tổ chức.") in prose.write(f).sources
    # The parent organised it: for the parent they are its own learners, not "sent".
    root = report(tree.root, "2024")
    assert (root.new_member_classes, root.new_member_learners, root.sent) == (1, 2, [])


def figures_only(f):
    """Every figure of a report, leaving out the day it was printed and the pipeline as it
    stands that day (section V says "đến ngày …": it is a snapshot, not a period figure)."""
    data = dataclasses.asdict(f)
    for name in ("as_of", "pipeline"):
        data.pop(name)
    return _without_unit_dates(data)


def _without_unit_dates(value):
    """An organisation dissolved later says so on its record; its figures stay the same."""
    if isinstance(value, dict):
        return {k: _without_unit_dates(v) for k, v in value.items()
                if k not in ("opened_on", "dissolved_on")}
    if isinstance(value, list):
        return [_without_unit_dates(v) for v in value]
    return value


def workbook_rows(f):
    wb = load_workbook(BytesIO(documents.render(f, "xlsx").content))
    rows = {}
    for sheet in wb.worksheets:
        if sheet.title == "Hồ sơ đang xét":
            continue
        rows[sheet.title] = [r for r in sheet.iter_rows(values_only=True)
                             if not str(r[0] or "").startswith(("Hồ sơ", "Báo cáo", "Đảng bộ"))
                             and "lập ngày" not in str(r[0])]
    return rows


def test_a_report_printed_again_after_a_year_of_later_movements_has_the_same_figures(known):
    t = known.tree
    root = t.root
    StaffHeadcount.objects.create(organisation=t.gc2, valid_from=FROM_THE_START, staff=4)
    first = report(root, "2024", today=date(2025, 1, 15))
    first_rows = workbook_rows(first)

    # A year of life in 2025: transfers in, within and out, a death, an expulsion, an
    # admission, a readmission, new headcounts, a branch opened and one dissolved, a class.
    b1_members = list(t.b1.members.filter(status__in=["official", "probationary"]))
    record_movement(b1_members[0], M.TRANSFER_WITHIN, date(2025, 2, 1), to_organisation=t.b3)
    record_movement(b1_members[1], M.DIED, date(2025, 3, 1))
    record_movement(known.moved, M.EXPELLED, date(2025, 3, 5))
    newcomer = MemberFactory.build(organisation=t.b2, admitted_date=date(2001, 1, 1),
                                   official_date=date(2002, 1, 1), status="official")
    record_movement(newcomer, M.TRANSFER_IN, date(2025, 4, 1), to_organisation=t.b2)
    admitted(t.b2, "Kết Nạp 2025", date(2025, 5, 1))
    StaffHeadcount.objects.create(organisation=t.gc1, valid_from=date(2025, 1, 1), staff=30)
    StaffHeadcount.objects.create(organisation=t.gc2, valid_from=date(2025, 6, 1), staff=9)
    OrganisationFactory(code="B9", kind=K.BRANCH, parent=t.gc2, opened_on=date(2025, 2, 2))
    t.b3.dissolved_on = date(2025, 12, 1)
    t.b3.save()
    training_class(t.root, ClassKind.AWARENESS, date(2025, 9, 9), [known.s1])

    again = report(root, "2024", today=date(2026, 1, 20))
    assert figures_only(again) == figures_only(first)
    assert workbook_rows(again) == first_rows
    assert report(root, "2025", today=date(2026, 1, 20)).membership != first.membership


def test_the_pdf_and_the_workbook_print_the_figures_in_time(tree, branch_members):
    from pypdf import PdfReader

    record_movement(branch_members[0], M.DIED, date(2024, 2, 10))
    record_movement(branch_members[1], M.RESIGNED, date(2024, 3, 10))
    record_movement(branch_members[1], M.READMITTED, date(2024, 10, 1), to_organisation=tree.b3)
    StaffHeadcount.objects.create(organisation=tree.gc2, valid_from=FROM_THE_START, staff=2)
    StaffHeadcount.objects.create(organisation=tree.gc1, valid_from=date(2025, 1, 1), staff=9)
    f = report(tree.root, "2024")

    reader = PdfReader(BytesIO(documents.render(f, "pdf").content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert ("Đầu năm (ngày 01/01/2024) có 12 đảng viên; trong năm tăng 1 (kết nạp lại 1), "
            "giảm 2 (từ trần 1, xin ra khỏi đảng 1); cuối năm (ngày 31/12/2024) có 11 đảng "
            "viên.") in text
    assert "Biểu 1-BTCTW" in text and "Kết nạp lại 1" in text and "Từ trần 1" in text
    assert ("3 tổ chức cơ sở đảng (2 đảng bộ cơ sở, 1 chi bộ cơ sở), 3 chi bộ trực thuộc, "
            "1 đảng bộ bộ phận, với 11 đảng viên") in text
    # GC2 has 3 members for 2 staff; GC1's headcount starts in 2025.
    assert "Đảng bộ Sở Hai (3/2)" in text and "cần kiểm tra" in text
    assert "Chưa có số cán bộ, công chức tại ngày cuối kỳ của: Đảng bộ Sở Một" in text
    assert "100 % đơn vị" not in text and "150,0 %" not in text
    assert "Số đảng viên kết nạp tính theo ngày ký quyết định kết nạp" in text

    wb = load_workbook(BytesIO(documents.render(f, "xlsx").content))
    summary = {r[0]: r[1] for r in wb["Tổng hợp"].iter_rows(min_row=5, values_only=True)}
    assert (summary["Đảng viên đầu kỳ"], summary["   Tăng: kết nạp lại"],
            summary["   Giảm: từ trần"], summary["Đảng viên cuối kỳ"]) == (12, 1, 1, 11)
    assert (summary["Tổ chức cơ sở đảng (cuối kỳ)"], summary["Chi bộ trực thuộc (cuối kỳ)"],
            summary["Đảng bộ bộ phận (cuối kỳ)"]) == (3, 3, 1)
    flagged = {r[0]: r[5] for r in wb["Cán bộ là đảng viên"].iter_rows(min_row=2,
                                                                        values_only=True)}
    assert flagged["GC1"] == "chưa có số cán bộ, công chức"
    assert flagged["GC2"].startswith("số đảng viên nhiều hơn")


def test_a_dossier_transferred_later_counts_where_it_was(tree):
    from recruitment.models import StageEvent, Vote, VoteKind

    dossier = candidate(tree.b1, "Chuyển Hồ Sơ", stage="applied",
                        awareness_cert_date=date(2024, 4, 1))
    StageEvent.objects.create(candidate=dossier, action="add_to_pool", from_stage="source_pool",
                              to_stage="source_pool", event_date=date(2023, 5, 1))
    Introduction.objects.create(candidate=dossier, kind=IntroductionKind.YOUTH_UNION,
                                resolution_ref="5/NQ", document_date=date(2024, 6, 1))
    Vote.objects.create(candidate=dossier, kind=VoteKind.BRANCH, vote_date=date(2024, 9, 1),
                        eligible=6, present=6, votes_for=2)
    before = report(tree.b1, "2024")
    assert (before.sympathisers, before.youth_introduced, before.failed_votes) == (1, 1, 1)

    # Moved to B3 in 2025, as the transfer step records it.
    dossier.organisation = tree.b3
    dossier.save()
    StageEvent.objects.create(candidate=dossier, action="transfer", from_stage="applied",
                              to_stage="applied", event_date=date(2025, 2, 1),
                              payload={"from_organisation": tree.b1.pk})

    again = report(tree.b1, "2024")
    assert (again.sympathisers, again.youth_introduced, again.failed_votes) == (1, 1, 1)
    b3 = report(tree.b3, "2024")
    assert (b3.sympathisers, b3.youth_introduced, b3.failed_votes) == (0, 0, 0)


def test_steps_recorded_before_their_branch_was_kept_are_placed_by_the_transfers(tree):
    """The migration places each old step: the candidate's branch, or before a transfer (not
    undone) the branch the transfer came from."""
    import importlib

    from django.apps import apps

    from recruitment.models import StageEvent

    migration = importlib.import_module("recruitment.migrations.0013_event_organisation")
    dossier = candidate(tree.b3, "Hồ Sơ Cũ", stage="applied")

    def step(action, day, **payload):
        return StageEvent.objects.create(candidate=dossier, action=action, from_stage="applied",
                                         to_stage="applied", event_date=day, payload=payload)

    early = step("add_to_pool", date(2022, 1, 1))
    first = step("transfer", date(2023, 1, 1), from_organisation=tree.b1.pk)
    middle = step("record_application", date(2023, 6, 1))
    wrong = step("transfer", date(2023, 7, 1), from_organisation=tree.b2.pk)
    step("undo_step", date(2023, 7, 2), undoes=wrong.pk)
    last = step("transfer", date(2024, 1, 1), from_organisation=tree.b2.pk)
    StageEvent.objects.update(organisation=None)

    migration.place_events(apps, None)

    placed = dict(StageEvent.objects.values_list("pk", "organisation__code"))
    assert (placed[early.pk], placed[first.pk], placed[middle.pk], placed[last.pk]) == (
        "B1", "B2", "B2", "B3")
