"""One candidate from the source pool to official member, and what each step leaves behind."""
from datetime import date

import pytest

from members.models import MemberStatus
from recruitment import services
from recruitment.models import DecisionKind, Stage, StageEvent, VoteKind

from .conftest import step_of, steps


def test_a_candidate_walks_from_source_pool_to_official_member(candidate, walk, branch_members):
    walk(candidate)
    assert candidate.stage == Stage.OFFICIAL
    member = candidate.member
    assert member.status == MemberStatus.OFFICIAL
    assert member.admitted_date == date(2024, 8, 1)
    # Official from the end of the 12 months, not from the decision date.
    assert member.official_date == date(2025, 8, 1)
    actions = list(candidate.events.values_list("action", flat=True))
    assert actions == ["add_to_pool"] + [a for a, *_ in steps(branch_members)]


def test_the_ceremony_makes_a_probationary_member_in_the_branch(candidate, walk, tree):
    walk(candidate, until="record_new_member_certificate")
    assert candidate.stage == Stage.PROBATIONARY
    assert candidate.probation_end == date(2025, 8, 1)
    assert candidate.member.status == MemberStatus.PROBATIONARY
    assert candidate.member.organisation == tree.b1
    assert candidate.member.full_name == "Hoàng Thị Quỳnh Anh"


def test_votes_keep_the_whole_branch_as_denominator(candidate, walk):
    walk(candidate, until="send_up")
    vote = candidate.votes.get(kind=VoteKind.BRANCH)
    assert (vote.votes_for, vote.present, vote.eligible) == (4, 5, 5)
    assert vote.two_thirds_reached


def test_the_admission_decision_is_recorded_with_the_deciding_organisation(candidate, walk, tree):
    walk(candidate, until="hold_ceremony")
    decision = candidate.decisions.get(kind=DecisionKind.ADMISSION)
    assert decision.number == "123-QĐ/ĐU"
    assert decision.decided_by == tree.root
    assert candidate.stage == Stage.ADMISSION_DECIDED


def test_each_event_records_who_when_and_the_document(candidate, walk, users):
    walk(candidate, until="send_up")
    event = candidate.events.get(action="branch_vote")
    assert event.actor == users.secretary
    assert event.event_date == date(2024, 6, 10)
    assert event.document_form == "6-KNĐ"
    assert event.document_number == "12-NQ/CB"
    assert (event.from_stage, event.to_stage) == (Stage.OPINIONS_COLLECTED, Stage.BRANCH_VOTED)


def test_a_recorded_event_cannot_be_changed_or_deleted(candidate):
    from django.core.exceptions import ValidationError

    event = candidate.events.get()
    event.note = "sửa"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert StageEvent.objects.filter(pk=event.pk, note="").exists()


def test_at_the_upper_level_the_deadline_is_sixty_working_days_from_the_branch_vote(
    candidate, walk
):
    walk(candidate, until="approve_admission")
    assert candidate.stage == Stage.AT_UPPER
    # 10/06/2024 + 60 working days, skipping weekends and 02–03/09/2024 (Quốc khánh).
    assert candidate.due_date == date(2024, 9, 4)


def test_removal_ends_the_probation(candidate, walk, users):
    walk(candidate, until="record_new_member_certificate")
    # A branch resolution, the grassroots committee's, then the decision: not one click.
    with pytest.raises(services.WorkflowError):
        services.perform("remove_probationary", candidate=candidate, actor=users.department,
                         event_date=date(2025, 3, 1),
                         data={"document_number": "15-QĐ/ĐU", "note": "Vi phạm"})
    services.perform("propose_removal", candidate=candidate, actor=users.secretary,
                     event_date=date(2025, 2, 3), data={
                         "eligible": 5, "present": 5, "votes_for": 4, "document_number": "4-NQ/CB",
                         "note": "Vi phạm tư cách đảng viên"})
    services.perform("removal_resolution", candidate=candidate, actor=users.office,
                     event_date=date(2025, 2, 20), data={
                         "eligible": 9, "present": 9, "votes_for": 7,
                         "document_number": "11-NQ/ĐU"})
    services.perform("remove_probationary", candidate=candidate, actor=users.department,
                     event_date=date(2025, 3, 1),
                     data={"document_number": "15-QĐ/ĐU", "note": "Vi phạm tư cách đảng viên"})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.REMOVED
    assert candidate.member.status == MemberStatus.REMOVED
    assert candidate.member.left_date == date(2025, 3, 1)
    assert candidate.end_reason == "Vi phạm tư cách đảng viên"


def test_a_returned_dossier_goes_back_one_step_with_its_reason(candidate, walk, users):
    walk(candidate, until="approve_admission")
    services.perform("return_to_grassroots", candidate=candidate, actor=users.department,
                     event_date=date(2024, 7, 1), data={"note": "Thiếu phiếu thẩm tra của mẹ"})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.AT_GRASSROOTS
    assert candidate.events.last().note == "Thiếu phiếu thẩm tra của mẹ"


def test_a_return_without_a_reason_is_refused(candidate, walk, users):
    walk(candidate, until="approve_admission")
    with pytest.raises(services.WorkflowError, match="lý do"):
        services.perform("return_to_grassroots", candidate=candidate, actor=users.department,
                         event_date=date(2024, 7, 1), data={"note": "  "})


def test_withdrawal_ends_the_path_with_a_reason(candidate, users):
    services.perform("withdraw", candidate=candidate, actor=users.secretary,
                     event_date=date(2024, 3, 1), data={"note": "Chuyển công tác"})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.WITHDRAWN
    assert services.available_actions(users.secretary, candidate) == []


def test_refusal_ends_the_path(candidate, walk, users):
    walk(candidate, until="approve_admission")
    services.perform("refuse_admission", candidate=candidate, actor=users.department,
                     event_date=date(2024, 7, 1), data={"note": "Không đủ tiêu chuẩn"})
    candidate.refresh_from_db()
    assert candidate.stage == Stage.REJECTED


def test_soft_rules_warn_and_the_warning_stays_on_the_event(candidate, walk, branch_members,
                                                            users):
    # Introductions and opinions more than DOC_AGE_MONTHS old when the branch votes: the vote
    # is taken, with a warning the approver sees on the event.
    walk(candidate, until="branch_vote")
    _who, _day, data = step_of(branch_members, "branch_vote")
    services.perform("branch_vote", candidate=candidate, actor=users.secretary,
                     event_date=date(2025, 7, 1), data=data)
    event = candidate.events.get(action="branch_vote")
    assert "DOC_AGE" in [w["code"] for w in event.warnings]
    assert all(not w["hard"] for w in event.warnings)


def test_imported_history_that_broke_a_rule_is_kept_with_a_warning(candidate, users,
                                                                    branch_members):
    services.perform("assign_helper", candidate=candidate, actor=None,
                     event_date=date(2024, 2, 1), data={"helper": branch_members.probationary},
                     imported=True)
    event = candidate.events.get(action="assign_helper")
    assert event.imported
    assert event.warnings[0]["code"] == "HELPER_OFFICIAL"
