"""The rules of the paths besides the straight one, and the rules this change made stricter:
each refuses with its code and its source, and lets the valid case through."""
from datetime import date

import pytest

from members.models import LeaveReason, MemberStatus, Movement, MovementKind, Role
from recruitment import rules, services
from recruitment.models import (
    Decision,
    DecisionKind,
    Introduction,
    IntroductionKind,
    Relation,
    Stage,
    VerificationRecord,
    Vote,
    VoteKind,
)
from tests.factories import MemberFactory, UserFactory, grant

from .conftest import make_candidate, step_of


def perform(action, candidate, actor, day, **data):
    event = services.perform(action, candidate=candidate, actor=actor, event_date=day, data=data)
    candidate.refresh_from_db()
    return event


def refusal(action, candidate, actor, day, **data):
    with pytest.raises(services.WorkflowError) as err:
        services.perform(action, candidate=candidate, actor=actor, event_date=day, data=data)
    candidate.refresh_from_db()
    return err.value


def codes(error):
    return [f.code for f in error.findings]


def step(branch_members, action, **changes):
    who, day, data = step_of(branch_members, action)
    return day, {**data, **changes}


def verify(candidate, users, relation, name, answered=date(2024, 4, 25)):
    perform("add_verification", candidate, users.secretary, date(2024, 4, 6),
            relation=relation, person_name=name, requested_of="Đảng ủy xã Yên Sở",
            answered_date=answered, conclusion="Chấp hành tốt chủ trương, chính sách")


# VERIFIED ------------------------------------------------------------------------------------

def test_a_married_candidate_needs_the_spouse_and_parents_in_law_verified(
        users, tree, walk, branch_members):
    person = make_candidate(users, tree.b1, citizen_id=None, married=True)
    walk(person, until="certify_history")
    day, data = step(branch_members, "certify_history")
    err = refusal("certify_history", person, users.secretary, day, **data)
    assert codes(err) == ["VERIFIED"]
    assert "Chưa thẩm tra: Vợ/chồng, Cha vợ/chồng, Mẹ vợ/chồng." in str(err)
    assert "06-HD/TW" in str(err)
    assert person.stage == Stage.APPLIED


def test_a_married_candidate_with_the_whole_family_verified_is_certified(
        users, tree, walk, branch_members):
    person = make_candidate(users, tree.b1, citizen_id=None, married=True, adult_children=1)
    walk(person, until="certify_history")
    family = ((Relation.SPOUSE, "Trần Văn Đức"), (Relation.FATHER_IN_LAW, "Trần Văn Em"),
              (Relation.MOTHER_IN_LAW, "Lê Thị Gấm"), (Relation.CHILD, "Trần Thị Hoa"))
    for relation, name in family:
        verify(person, users, relation, name)
    day, data = step(branch_members, "certify_history")
    perform("certify_history", person, users.secretary, day, **data)
    assert person.stage == Stage.HISTORY_VERIFIED


def test_missing_parents_and_an_unanswered_request_are_both_named(users, tree, branch_members):
    person = make_candidate(users, tree.b1, citizen_id=None, adult_children=2)
    perform("assign_helper", person, users.secretary, date(2024, 2, 1),
            helper=branch_members.officials[0])
    perform("record_awareness_certificate", person, users.secretary, date(2024, 3, 15),
            document_number="9/GCN")
    perform("record_application", person, users.secretary, date(2024, 4, 1))
    verify(person, users, Relation.SELF, "Hoàng Thị Quỳnh Anh")
    verify(person, users, Relation.CHILD, "Hoàng Minh Khang", answered=None)
    err = refusal("certify_history", person, users.secretary, date(2024, 5, 10))
    message = err.findings[0].message
    assert message.startswith("Chưa thẩm tra: Cha, Mẹ (hoặc người nuôi dưỡng), Con (cần 2 người, "
                              "mới có 1); còn 1 yêu cầu chưa có kết luận vào ngày 10/05/2024: "
                              "Con: Hoàng Minh Khang.")


def test_a_guardian_stands_for_both_parents(users, tree, branch_members):
    person = make_candidate(users, tree.b1, citizen_id=None)
    perform("assign_helper", person, users.secretary, date(2024, 2, 1),
            helper=branch_members.officials[0])
    perform("record_awareness_certificate", person, users.secretary, date(2024, 3, 15),
            document_number="9/GCN")
    perform("record_application", person, users.secretary, date(2024, 4, 1))
    verify(person, users, Relation.SELF, "Hoàng Thị Quỳnh Anh")
    verify(person, users, Relation.GUARDIAN, "Hoàng Văn Ích")
    perform("certify_history", person, users.secretary, date(2024, 5, 10))
    assert person.stage == Stage.HISTORY_VERIFIED


def test_an_answer_dated_after_the_vote_does_not_count(candidate, users, walk, branch_members):
    walk(candidate, until="branch_vote")
    record = candidate.verifications.get(relation=Relation.MOTHER)
    VerificationRecord.objects.filter(pk=record.pk).update(answered_date=date(2024, 6, 20))
    day, data = step(branch_members, "branch_vote")
    err = refusal("branch_vote", candidate, users.secretary, day, **data)
    assert codes(err) == ["VERIFIED"]
    assert "Mẹ: Nguyễn Thị Hạnh" in str(err)


# INTRODUCER_TENURE and the introductions that count ------------------------------------------

def test_an_introducer_known_for_less_than_12_months_is_refused(candidate, users, walk,
                                                               branch_members):
    walk(candidate, until="record_introductions")
    day, data = step(branch_members, "record_introductions", known_since_1=date(2023, 12, 1))
    err = refusal("record_introductions", candidate, users.secretary, day, **data)
    assert codes(err) == ["INTRODUCER_TENURE"]
    assert "Điều lệ Đảng, Điều 4, khoản 2" in str(err)
    assert not candidate.introductions.exists()


def test_a_replacement_introducer_needs_no_12_months(candidate, users, walk, branch_members):
    walk(candidate, until="record_introductions")
    day, data = step(branch_members, "record_introductions", known_since_1=date(2023, 12, 1),
                     replacement_1=True)
    perform("record_introductions", candidate, users.secretary, day, **data)
    assert candidate.stage == Stage.INTRODUCED


def _returned_to_the_branch(candidate, users, walk, branch_members):
    walk(candidate, until="grassroots_resolution")
    perform("return_to_branch", candidate, users.office, date(2024, 6, 12),
            note="Cần bổ sung giới thiệu", return_to=Stage.APPLIED)
    perform("certify_history", candidate, users.secretary, date(2024, 6, 13))
    assert candidate.stage == Stage.HISTORY_VERIFIED


def test_introductions_recorded_again_replace_the_earlier_ones(candidate, users, walk,
                                                              branch_members):
    _returned_to_the_branch(candidate, users, walk, branch_members)
    newcomer = branch_members.officials[3]
    perform("record_introductions", candidate, users.secretary, date(2024, 6, 14),
            introducer_1=newcomer, known_since_1=date(2019, 1, 1), union_kind="youth_union",
            union_resolution="09/NQ-ĐTN", union_date=date(2024, 6, 14))
    counted = rules.Context(candidate, date(2024, 6, 20)).introductions
    assert [i.introducer for i in counted if i.introducer] == [newcomer]
    assert len(counted) == 2 and candidate.introductions.count() == 4


def test_only_the_new_introductions_are_judged_when_recorded_again(candidate, users, walk,
                                                                  branch_members):
    _returned_to_the_branch(candidate, users, walk, branch_members)
    # The earlier introducer is now judged too short a time: only the new one may be named.
    Introduction.objects.filter(candidate=candidate).update(known_since=date(2024, 1, 1))
    err = refusal("record_introductions", candidate, users.secretary, date(2024, 6, 14),
                  introducer_1=branch_members.officials[3], known_since_1=date(2024, 1, 1),
                  union_kind="youth_union", union_resolution="09/NQ-ĐTN",
                  union_date=date(2024, 6, 14))
    assert codes(err) == ["INTRODUCER_TENURE"]
    assert [f.message.split(" chưa")[0] for f in err.findings] == [
        "Đồng chí Đảng viên Chính Thức 3"]


def test_introductions_written_before_steps_kept_their_papers_all_count(candidate):
    for n in (1, 2):
        Introduction.objects.create(candidate=candidate, kind=IntroductionKind.MEMBER,
                                    document_date=date(2020, 5, n))
    assert len(rules.Context(candidate, date(2024, 6, 10)).introductions) == 2


# Citations ----------------------------------------------------------------------------------

def test_a_branch_too_small_to_vote_cites_the_charter_article_on_branches(candidate, users, walk,
                                                                         branch_members):
    walk(candidate, until="branch_vote")
    day, data = step(branch_members, "branch_vote", eligible=2, present=2, votes_for=2)
    err = refusal("branch_vote", candidate, users.secretary, day, **data)
    assert "BRANCH_SIZE" in codes(err)
    assert "Điều lệ Đảng, Điều 21, khoản 2" in str(err)


def test_every_rule_cites_its_source_and_none_cites_the_old_wrong_points():
    for rule in rules.RULES.values():
        assert rule.citation.strip()
    assert "8.3" not in rules.RULES["NEW_MEMBER_CLASS"].citation
    assert "Điều 21" in rules.RULES["BRANCH_SIZE"].citation
    assert rules.RULES["INTRODUCER_TENURE"].hard


# BRANCH_VOTE and COMMITTEE_VOTE -------------------------------------------------------------

def test_a_branch_vote_without_the_number_present_is_refused(candidate, users, walk,
                                                            branch_members):
    walk(candidate, until="branch_vote")
    day, data = step(branch_members, "branch_vote")
    del data["present"]
    err = refusal("branch_vote", candidate, users.secretary, day, **data)
    assert codes(err) == ["BRANCH_VOTE"]
    assert "còn thiếu số có mặt" in str(err)
    assert not Vote.objects.filter(candidate=candidate).exists()


def test_a_committee_vote_of_nobody_is_refused(candidate, users, walk, branch_members):
    walk(candidate, until="grassroots_resolution")
    day, data = step(branch_members, "grassroots_resolution", eligible=0, present=0, votes_for=0,
                     votes_against=0)
    err = refusal("grassroots_resolution", candidate, users.office, day, **data)
    assert codes(err) == ["COMMITTEE_VOTE"]
    assert candidate.stage == Stage.AT_GRASSROOTS


def test_a_committee_vote_of_exactly_two_thirds_passes(candidate, users, walk, branch_members):
    walk(candidate, until="grassroots_resolution")
    day, data = step(branch_members, "grassroots_resolution", eligible=9, present=9, votes_for=6,
                     votes_against=3)
    perform("grassroots_resolution", candidate, users.office, day, **data)
    assert candidate.stage == Stage.AT_UPPER


# VOTE_FAILED --------------------------------------------------------------------------------

def test_a_failed_vote_that_reached_two_thirds_is_refused(candidate, users, walk, branch_members):
    walk(candidate, until="branch_vote")
    err = refusal("record_failed_vote", candidate, users.secretary, date(2024, 6, 10),
                  eligible=5, present=5, votes_for=4, votes_against=1)
    assert codes(err) == ["VOTE_FAILED"]
    assert "hãy ghi nghị quyết đề nghị kết nạp" in str(err)


def test_a_vote_below_two_thirds_is_recorded_and_the_dossier_stays(candidate, users, walk,
                                                                  branch_members):
    walk(candidate, until="branch_vote")
    perform("record_failed_vote", candidate, users.secretary, date(2024, 6, 10),
            eligible=5, present=5, votes_for=3, votes_against=2)
    assert candidate.stage == Stage.OPINIONS_COLLECTED
    vote = candidate.votes.get()
    assert (vote.kind, vote.votes_for, vote.two_thirds_reached) == (VoteKind.BRANCH, 3, False)


def test_a_failed_vote_without_its_numbers_is_refused(candidate, users, walk, branch_members):
    walk(candidate, until="branch_vote")
    err = refusal("record_failed_vote", candidate, users.secretary, date(2024, 6, 10),
                  eligible=5)
    assert codes(err) == ["VOTE_FAILED"]


# RECOGNITION_REVOTE and RECOGNITION_ESCALATION -----------------------------------------------

FAILED_RECOGNITION = {"eligible": 5, "present": 5, "votes_for": 3, "votes_against": 2}


def _failed_recognition_votes(candidate, users, n):
    for week in range(n):
        perform("record_failed_recognition_vote", candidate, users.secretary,
                date(2025, 8, 4 + 7 * week), **FAILED_RECOGNITION)


def test_after_three_failed_recognition_votes_the_branch_does_not_vote_again(
        candidate, users, walk, branch_members):
    walk(candidate, until="recognition_vote")
    _failed_recognition_votes(candidate, users, 3)
    day, data = step(branch_members, "recognition_vote", votes_for=5)
    err = refusal("recognition_vote", candidate, users.secretary, date(2025, 8, 25), **data)
    assert codes(err) == ["RECOGNITION_REVOTE"]
    assert "báo cáo cấp ủy cấp trên" in str(err) and "4.2.3" in str(err)
    err = refusal("record_failed_recognition_vote", candidate, users.secretary,
                  date(2025, 8, 25), **FAILED_RECOGNITION)
    assert codes(err) == ["RECOGNITION_REVOTE"]


def test_after_two_failed_recognition_votes_the_branch_may_vote_again(
        candidate, users, walk, branch_members):
    walk(candidate, until="recognition_vote")
    _failed_recognition_votes(candidate, users, 2)
    day, data = step(branch_members, "recognition_vote")
    perform("recognition_vote", candidate, users.secretary, date(2025, 8, 25), **data)
    assert candidate.stage == Stage.RECOGNITION_BRANCH_VOTED


def test_the_branch_reports_up_only_after_three_failed_votes(candidate, users, walk,
                                                            branch_members):
    walk(candidate, until="recognition_vote")
    _failed_recognition_votes(candidate, users, 1)
    err = refusal("escalate_recognition", candidate, users.secretary, date(2025, 8, 25))
    assert codes(err) == ["RECOGNITION_ESCALATION"]
    assert "mới có 1 lần" in str(err)


def test_after_three_failed_votes_the_branch_reports_to_the_upper_committee(
        candidate, users, walk, branch_members):
    walk(candidate, until="recognition_vote")
    _failed_recognition_votes(candidate, users, 3)
    perform("escalate_recognition", candidate, users.secretary, date(2025, 8, 25))
    assert candidate.stage == Stage.RECOGNITION_BRANCH_VOTED


# READMISSION and READMISSION_DECISION ---------------------------------------------------------

def former_member(tree, **fields):
    values = dict(full_name="Đỗ Văn Lâm", birth_date=date(1980, 2, 3), organisation=tree.b1,
                  admitted_date=date(2005, 3, 2),
                  official_date=date(2006, 3, 2), status=MemberStatus.REMOVED,
                  left_date=date(2020, 1, 15), left_reason=LeaveReason.OTHER)
    values.update(fields)
    return MemberFactory(**values)


def two_members_introduce(branch_members):
    return (date(2024, 5, 20), {
        "introducer_1": branch_members.officials[1], "known_since_1": date(2020, 1, 1),
        "introducer_2": branch_members.officials[2], "known_since_2": date(2020, 1, 1)})


def walked_readmission(users, tree, walk, branch_members, until="branch_vote", **fields):
    person = make_candidate(users, tree.b1, citizen_id=None, full_name="Đỗ Văn Lâm",
                            birth_date=date(1980, 2, 3), youth_union_member=False,
                            former_member=former_member(tree, **fields))
    walk(person, until=until,
         overrides={"record_introductions": two_members_introduce(branch_members)})
    return person


@pytest.mark.parametrize(("reason", "left", "refused_with"), [
    (LeaveReason.OTHER, date(2022, 1, 15), "từ ngày 15/01/2025"),
    (LeaveReason.ABANDONED, date(2015, 1, 15), "không xem xét kết nạp lại"),
    (LeaveReason.RESIGNED, date(2015, 1, 15), "không xem xét kết nạp lại"),
    (LeaveReason.CORRUPTION, date(2015, 1, 15), "không xem xét kết nạp lại"),
    (LeaveReason.MINOR_CRIME, date(2020, 1, 15), "xóa án tích"),
])
def test_a_readmission_too_early_or_barred_for_ever_is_refused(
        users, tree, walk, branch_members, reason, left, refused_with):
    person = walked_readmission(users, tree, walk, branch_members, left_reason=reason,
                                left_date=left)
    day, data = step(branch_members, "branch_vote")
    err = refusal("branch_vote", person, users.secretary, day, **data)
    assert codes(err) == ["READMISSION"]
    assert refused_with in str(err) and "294-QĐ/TW" in str(err)


@pytest.mark.parametrize(("reason", "left"), [
    (LeaveReason.OTHER, date(2021, 6, 10)),             # 36 months to the day
    (LeaveReason.RESIGNED_HARDSHIP, date(2019, 1, 15)),
    (LeaveReason.MINOR_CRIME, date(2019, 6, 1)),
])
def test_a_readmission_after_the_wait_is_voted(users, tree, walk, branch_members, reason, left):
    person = walked_readmission(users, tree, walk, branch_members, left_reason=reason,
                                left_date=left)
    day, data = step(branch_members, "branch_vote")
    perform("branch_vote", person, users.secretary, day, **data)
    assert person.stage == Stage.BRANCH_VOTED


def test_someone_already_readmitted_once_is_not_readmitted_again(users, tree, walk,
                                                                branch_members):
    person = walked_readmission(users, tree, walk, branch_members)
    Movement.objects.create(member=person.former_member, kind=MovementKind.READMITTED,
                            date=date(2012, 3, 1), to_organisation=tree.b1)
    day, data = step(branch_members, "branch_vote")
    err = refusal("branch_vote", person, users.secretary, day, **data)
    assert codes(err) == ["READMISSION"]
    assert "một lần" in str(err) and "01/03/2012" in str(err)


def test_a_readmission_is_decided_only_with_the_provincial_consent(users, tree, walk,
                                                                  branch_members):
    person = walked_readmission(users, tree, walk, branch_members, until="approve_admission")
    day, data = step(branch_members, "approve_admission")
    err = refusal("approve_admission", person, users.department, day, **data)
    assert codes(err) == ["READMISSION_DECISION"]
    assert person.stage == Stage.AT_UPPER
    person.readmission_consent_ref = "215-CV/TU ngày 02/07/2024"
    person.save()
    perform("approve_admission", person, users.department, day, **data)
    assert person.stage == Stage.ADMISSION_DECIDED


# NUMBER_UNIQUE ------------------------------------------------------------------------------

def test_a_decision_number_used_for_another_person_the_same_year_is_refused(
        candidate, users, tree, walk, branch_members):
    walk(candidate, until="hold_ceremony")
    other = make_candidate(users, tree.b1, citizen_id=None, full_name="Vũ Thị Lan")
    walk(other, until="approve_admission")
    day, data = step(branch_members, "approve_admission")  # 123-QĐ/ĐU, as for the first
    err = refusal("approve_admission", other, users.department, day, **data)
    assert codes(err) == ["NUMBER_UNIQUE"]
    assert "123-QĐ/ĐU" in str(err) and "36-HD/VPTW" in str(err)
    assert not other.decisions.exists()


def test_a_list_decision_names_several_people_under_one_number(candidate, users, tree, walk,
                                                              branch_members):
    listed = step(branch_members, "approve_admission", is_list=True)
    walk(candidate, until="hold_ceremony", overrides={"approve_admission": listed})
    other = make_candidate(users, tree.b1, citizen_id=None, full_name="Vũ Thị Lan")
    walk(other, until="approve_admission")
    perform("approve_admission", other, users.department, *listed[:1], **listed[1])
    assert Decision.objects.filter(number="123-QĐ/ĐU", is_list=True).count() == 2


def test_the_same_decision_number_next_year_is_accepted(candidate, users, tree, walk,
                                                        branch_members):
    walk(candidate, until="hold_ceremony")
    Decision.objects.filter(candidate=candidate).update(decision_date=date(2023, 12, 20))
    other = make_candidate(users, tree.b1, citizen_id=None, full_name="Vũ Thị Lan")
    walk(other, until="approve_admission")
    day, data = step(branch_members, "approve_admission")
    perform("approve_admission", other, users.department, day, **data)
    assert other.decisions.get(kind=DecisionKind.ADMISSION).number == "123-QĐ/ĐU"


def test_a_branch_resolution_number_used_for_another_person_is_refused(
        candidate, users, tree, walk, branch_members):
    walk(candidate, until="send_up")
    other = make_candidate(users, tree.b1, citizen_id=None, full_name="Vũ Thị Lan")
    walk(other, until="branch_vote")
    day, data = step(branch_members, "branch_vote")  # 12-NQ/CB, as for the first
    err = refusal("branch_vote", other, users.secretary, day, **data)
    assert codes(err) == ["NUMBER_UNIQUE"]
    assert "Chi bộ Một" in str(err)
    perform("branch_vote", other, users.secretary, day, **{**data, "document_number": "13-NQ/CB"})
    assert other.stage == Stage.BRANCH_VOTED


# ISSUER_DECIDES -----------------------------------------------------------------------------

def test_a_decision_is_revoked_only_by_the_committee_that_issued_it(candidate, users, tree, walk):
    walk(candidate, until="hold_ceremony")  # decided by the organisation department at the root
    below = UserFactory(username="bantochuc.so1")
    grant(below, Role.ORG_DEPARTMENT, tree.gc1)
    err = refusal("revoke_admission", candidate, below, date(2024, 7, 20),
                  note="Kết nạp sai tiêu chuẩn", document_number="130-QĐ/ĐU")
    assert codes(err) == ["ISSUER_DECIDES"]
    assert "Đảng bộ Khối" in str(err)
    err = refusal("no_ceremony", candidate, below, date(2024, 9, 20),
                  note="Quá hạn, cấp trên không đồng ý")
    assert codes(err) == ["ISSUER_DECIDES"]


def test_the_issuing_committee_revokes_its_decision(candidate, users, walk):
    walk(candidate, until="hold_ceremony")
    perform("revoke_admission", candidate, users.department, date(2024, 7, 20),
            note="Kết nạp sai tiêu chuẩn", document_number="130-QĐ/ĐU")
    assert candidate.stage == Stage.REVOKED
    assert candidate.decisions.get(kind=DecisionKind.REVOCATION).number == "130-QĐ/ĐU"


# TRANSFER_TARGET ----------------------------------------------------------------------------

def test_a_transfer_outside_ones_scope_or_to_no_branch_is_refused(candidate, users, tree):
    for target, words in ((tree.b3, "ngoài phạm vi"), (tree.b1, "chi bộ khác"),
                          (tree.gc1, "không phải chi bộ")):
        err = refusal("transfer", candidate, users.office, date(2024, 1, 20),
                      to_organisation=target)
        assert codes(err) == ["TRANSFER_TARGET"]
        assert words in str(err)
    assert candidate.organisation == tree.b1


def test_a_transfer_to_another_branch_in_scope_moves_the_dossier(candidate, users, tree):
    perform("transfer", candidate, users.office, date(2024, 1, 20), to_organisation=tree.b2)
    assert candidate.organisation == tree.b2


# PARTIAL_APPRAISAL for recognition ------------------------------------------------------------

def test_under_a_partial_committee_recognition_needs_its_appraisal_first(
        users, tree, walk, branch_members):
    secretary = UserFactory(username="bithu.khoinoi")
    grant(secretary, Role.BRANCH_SECRETARY, tree.b2)
    users.secretary = secretary
    appraiser = UserFactory(username="vanphong.khoinoi")
    grant(appraiser, Role.GRASSROOTS_OFFICE, tree.partial)
    person = make_candidate(users, tree.b2, citizen_id=None)
    o = branch_members.partial_officials
    overrides = {
        "assign_helper": (date(2024, 2, 1), {"helper": o[0]}),
        "record_introductions": (date(2024, 5, 20), {
            "introducer_1": o[1], "known_since_1": date(2020, 1, 1),
            "union_kind": "youth_union", "union_resolution": "7/NQ-ĐTN",
            "union_date": date(2024, 5, 18)}),
        "branch_vote": (date(2024, 6, 10), {"eligible": 4, "present": 4, "votes_for": 3}),
        "hold_ceremony": (date(2024, 8, 1), {"helper": o[0]}),
        "recognition_vote": (date(2025, 8, 5), {"eligible": 4, "present": 4, "votes_for": 4}),
    }
    walk(person, until="grassroots_resolution", overrides=overrides)
    perform("partial_appraisal", person, appraiser, date(2024, 6, 15), note="Đủ điều kiện")
    day, data = step(branch_members, "grassroots_resolution")
    perform("grassroots_resolution", person, users.office, day, **data)
    walk(person, until="recognition_resolution", overrides=overrides,
         start_after="grassroots_resolution")
    assert person.stage == Stage.RECOGNITION_BRANCH_VOTED
    day, data = step(branch_members, "recognition_resolution")
    err = refusal("recognition_resolution", person, users.office, day, **data)
    assert codes(err) == ["PARTIAL_APPRAISAL"]
    assert "14-KNĐ" in str(err)
    perform("recognition_partial_appraisal", person, appraiser, date(2025, 8, 10),
            note="Đủ điều kiện")
    perform("recognition_resolution", person, users.office, day, **data)
    assert person.stage == Stage.RECOGNITION_AT_UPPER


def test_a_step_named_by_its_caller_is_judged_by_its_own_kind_of_document(
        candidate, users, tree, walk, branch_members):
    walk(candidate, until="hold_ceremony")
    day, data = step(branch_members, "approve_admission")
    other = make_candidate(users, tree.b1, citizen_id=None, full_name="Vũ Thị Lan")
    check = rules.CHECKS["NUMBER_UNIQUE"]
    decision = rules.Context(other, day, data, actor=users.department, action="approve_admission")
    assert [f.code for f in check(decision)] == ["NUMBER_UNIQUE"]
    # A partial committee's appraisal is not a decision of the department: nothing to clash.
    appraisal = rules.Context(other, day, data, actor=users.office, action="partial_appraisal")
    assert check(appraisal) == []
