"""Every hard rule refuses with its code and its source; nothing is half-saved."""
from datetime import date

import pytest

from recruitment import services
from recruitment.models import Stage, Vote

from .conftest import make_candidate, step_of


def refused(candidate, users, branch_members, action, day=None, **data):
    who, default_day, default_data = step_of(branch_members, action)
    default_data.update(data)
    with pytest.raises(services.WorkflowError) as err:
        services.perform(action, candidate=candidate, actor=getattr(users, who),
                         event_date=day or default_day, data=default_data)
    candidate.refresh_from_db()
    return err.value


def codes(error):
    return [f.code for f in error.findings]


def test_a_candidate_under_18_in_months_on_the_vote_date_is_refused(users, tree, walk,
                                                                   branch_members):
    young = make_candidate(users, tree.b1, birth_date=date(2006, 6, 11), citizen_id=None,
                           added_date=date(2023, 12, 1))
    walk(young, until="branch_vote")
    # 10/06/2024: one day short of 18 years.
    err = refused(young, users, branch_members, "branch_vote")
    assert "AGE_MIN" in codes(err)
    assert "Điều lệ Đảng, Điều 1" in str(err)
    assert young.stage == Stage.OPINIONS_COLLECTED
    assert not Vote.objects.filter(candidate=young).exists()


def test_a_candidate_18_years_to_the_day_may_be_voted(users, tree, walk, branch_members):
    adult = make_candidate(users, tree.b1, birth_date=date(2006, 6, 10), citizen_id=None,
                           added_date=date(2023, 12, 1))
    walk(adult, until="send_up")
    assert adult.stage == Stage.BRANCH_VOTED


def two_member_introductions(branch_members):
    return (date(2024, 5, 20), {
        "introducer_1": branch_members.officials[1], "known_since_1": date(2020, 1, 1),
        "introducer_2": branch_members.officials[2], "known_since_2": date(2020, 1, 1)})


def test_over_60_without_the_consent_of_the_higher_committee_is_refused(users, tree, walk,
                                                                       branch_members):
    old = make_candidate(users, tree.b1, birth_date=date(1960, 1, 1), citizen_id=None,
                         youth_union_member=False)
    walk(old, until="branch_vote",
         overrides={"record_introductions": two_member_introductions(branch_members)})
    err = refused(old, users, branch_members, "branch_vote")
    assert codes(err) == ["AGE_MAX"]
    assert "06-HD/TW" in str(err)
    old.age_consent_ref = "123-CV/TU"
    old.save()
    who, day, data = step_of(branch_members, "branch_vote")
    services.perform("branch_vote", candidate=old, actor=users.secretary, event_date=day,
                     data=data)


@pytest.mark.parametrize(("education", "kind", "document", "ok"), [
    ("lower_secondary", "", "", True),
    ("upper_secondary", "", "", True),
    ("primary", "hardship_area", "45-CV/TU ngày 02/01/2024", True),
    ("primary", "", "", False),
    ("primary", "hardship_area", "", False),
    ("literate", "literacy", "12-CV/TU ngày 05/01/2024", True),
    ("literate", "hardship_area", "45-CV/TU ngày 02/01/2024", False),
    ("literate", "", "", False),
])
def test_education_below_lower_secondary_needs_a_recorded_exemption(
    users, tree, walk, branch_members, education, kind, document, ok
):
    person = make_candidate(users, tree.b1, education=education, education_exemption_kind=kind,
                            education_exemption=document, citizen_id=None)
    walk(person, until="branch_vote")
    who, day, data = step_of(branch_members, "branch_vote")
    if ok:
        services.perform("branch_vote", candidate=person, actor=users.secretary, event_date=day,
                         data=data)
    else:
        err = refused(person, users, branch_members, "branch_vote")
        assert codes(err) == ["EDUCATION"]
        assert "06-HD/TW" in str(err)


def test_an_expired_awareness_certificate_is_refused(users, tree, walk, branch_members):
    person = make_candidate(users, tree.b1, added_date=date(2018, 1, 10), citizen_id=None)
    services.perform("assign_helper", candidate=person, actor=users.secretary,
                     event_date=date(2018, 2, 1), data={"helper": branch_members.officials[0]})
    services.perform("record_awareness_certificate", candidate=person, actor=users.secretary,
                     event_date=date(2019, 3, 14), data={"document_number": "9/GCN"})
    walk(person, until="branch_vote", start_after="record_awareness_certificate")
    # Valid until 14/03/2024; the branch votes on 10/06/2024.
    err = refused(person, users, branch_members, "branch_vote")
    assert codes(err) == ["CERT_VALID"]
    assert "14/03/2019" in str(err) and "06-HD/TW" in str(err)


def test_a_probationary_member_cannot_be_a_helper(candidate, users, branch_members):
    err = refused(candidate, users, branch_members, "assign_helper",
                  helper=branch_members.probationary)
    assert codes(err) == ["HELPER_OFFICIAL"]
    assert "Điều 4" in str(err)
    assert candidate.stage == Stage.SOURCE_POOL
    assert candidate.helper is None


def test_a_probationary_member_cannot_introduce(candidate, users, walk, branch_members):
    walk(candidate, until="record_introductions")
    err = refused(candidate, users, branch_members, "record_introductions",
                  introducer_1=branch_members.probationary)
    assert "HELPER_OFFICIAL" in codes(err)
    assert not candidate.introductions.exists()


def test_a_youth_age_candidate_needs_the_youth_union_introduction(candidate, users, walk,
                                                                 branch_members):
    walk(candidate, until="record_introductions")
    err = refused(candidate, users, branch_members, "record_introductions",
                  introducer_2=branch_members.officials[2], known_since_2=date(2020, 1, 1),
                  union_kind="", union_resolution="")
    assert codes(err) == ["INTRODUCERS"]


def test_one_member_alone_is_not_enough_to_introduce(users, tree, walk, branch_members):
    person = make_candidate(users, tree.b1, birth_date=date(1980, 1, 1), citizen_id=None,
                            youth_union_member=False)
    walk(person, until="record_introductions")
    err = refused(person, users, branch_members, "record_introductions", union_kind="",
                  union_resolution="")
    assert codes(err) == ["INTRODUCERS"]


def test_an_unanswered_verification_blocks_certifying_the_history(candidate, users, walk,
                                                                 branch_members):
    walk(candidate, until="certify_history")
    services.perform("add_verification", candidate=candidate, actor=users.secretary,
                     event_date=date(2024, 4, 6),
                     data={"relation": "mother", "person_name": "Nguyễn Thị Mẹ",
                           "requested_of": "UBND xã Yên Sở"})
    err = refused(candidate, users, branch_members, "certify_history")
    assert codes(err) == ["VERIFIED"]
    assert "Nguyễn Thị Mẹ" in str(err)


def test_fewer_than_two_thirds_of_all_official_members_is_refused(candidate, users, walk,
                                                                 branch_members):
    walk(candidate, until="branch_vote")
    # 4 of 7 present vote for, but the branch has 7 official members: 4/7 < 2/3.
    err = refused(candidate, users, branch_members, "branch_vote", eligible=7, present=4,
                  votes_for=4, votes_against=0)
    assert "BRANCH_VOTE" in codes(err)
    assert "4/7" in str(err)


@pytest.mark.parametrize(("eligible", "votes_for", "ok"), [
    (6, 4, True), (9, 6, True), (10, 6, False), (10, 7, True), (3, 2, True), (4, 2, False),
])
def test_two_thirds_is_exact_integer_arithmetic(candidate, users, walk, branch_members,
                                                eligible, votes_for, ok):
    walk(candidate, until="branch_vote")
    data = {"eligible": eligible, "present": eligible, "votes_for": votes_for,
            "votes_against": 0}
    if ok:
        services.perform("branch_vote", candidate=candidate, actor=users.secretary,
                         event_date=date(2024, 6, 10), data=data)
    else:
        assert "BRANCH_VOTE" in codes(refused(candidate, users, branch_members, "branch_vote",
                                              **data))


def test_votes_for_above_the_number_of_official_members_are_refused(candidate, users, walk,
                                                                   branch_members):
    walk(candidate, until="branch_vote")
    err = refused(candidate, users, branch_members, "branch_vote", eligible=5, present=5,
                  votes_for=6, votes_against=0)
    assert "BRANCH_VOTE" in codes(err)
    assert not candidate.votes.exists()


def test_a_branch_with_fewer_than_3_official_members_cannot_vote(candidate, users, walk,
                                                                branch_members):
    walk(candidate, until="branch_vote")
    err = refused(candidate, users, branch_members, "branch_vote", eligible=2, present=2,
                  votes_for=2, votes_against=0)
    assert "BRANCH_SIZE" in codes(err)


def test_a_vote_count_different_from_the_register_is_a_warning(candidate, users, walk,
                                                              branch_members):
    walk(candidate, until="branch_vote")
    event = services.perform("branch_vote", candidate=candidate, actor=users.secretary,
                             event_date=date(2024, 6, 10),
                             data={"eligible": 6, "present": 6, "votes_for": 6})
    assert [w["code"] for w in event.warnings] == ["BRANCH_REGISTER"]


def test_the_committee_vote_needs_two_thirds_of_the_committee(candidate, users, walk,
                                                             branch_members):
    walk(candidate, until="grassroots_resolution")
    err = refused(candidate, users, branch_members, "grassroots_resolution", eligible=9,
                  present=9, votes_for=5)
    assert codes(err) == ["COMMITTEE_VOTE"]
    assert candidate.stage == Stage.AT_GRASSROOTS


def test_a_ceremony_before_the_decision_is_refused(candidate, users, walk, branch_members):
    walk(candidate, until="hold_ceremony")
    err = refused(candidate, users, branch_members, "hold_ceremony", day=date(2024, 7, 14))
    assert "CEREMONY_AFTER_DECISION" in codes(err) or "DATE_ORDER" in codes(err)
    assert candidate.member is None


def test_a_late_ceremony_needs_the_upper_committees_approval(candidate, users, walk,
                                                            branch_members):
    walk(candidate, until="hold_ceremony")
    err = refused(candidate, users, branch_members, "hold_ceremony", day=date(2024, 10, 1))
    assert codes(err) == ["CEREMONY_DEADLINE"]
    who, _day, data = step_of(branch_members, "hold_ceremony")
    data["late_approval_ref"] = "77-CV/ĐUK"
    event = services.perform("hold_ceremony", candidate=candidate, actor=users.secretary,
                             event_date=date(2024, 10, 1), data=data)
    assert "77-CV/ĐUK" in event.note


def test_a_recognition_vote_before_the_12_months_end_is_refused(candidate, users, walk,
                                                               branch_members):
    walk(candidate, until="recognition_vote")
    err = refused(candidate, users, branch_members, "recognition_vote", day=date(2025, 7, 31))
    assert codes(err) == ["RECOGNITION_WINDOW"]
    assert candidate.stage == Stage.PROBATIONARY


def test_recognition_without_the_new_member_class_is_refused(candidate, users, walk,
                                                            branch_members):
    walk(candidate, until="record_new_member_certificate")
    err = refused(candidate, users, branch_members, "recognition_vote")
    assert codes(err) == ["NEW_MEMBER_CLASS"]


def test_a_document_dated_in_the_future_is_refused(candidate, users, branch_members):
    err = refused(candidate, users, branch_members, "assign_helper", day=date(2099, 1, 1))
    assert "DATE_NOT_FUTURE" in codes(err)


def test_documents_out_of_order_are_refused(candidate, users, walk, branch_members):
    walk(candidate, until="record_application")
    err = refused(candidate, users, branch_members, "record_application", day=date(2024, 3, 1))
    assert codes(err) == ["DATE_ORDER"]
    assert candidate.stage == Stage.SYMPATHISER


def test_a_skipped_stage_is_refused(candidate, users, branch_members):
    who, day, data = step_of(branch_members, "approve_admission")
    with pytest.raises(services.WorkflowError, match="giai đoạn"):
        services.perform("approve_admission", candidate=candidate, actor=users.department,
                         event_date=day, data=data)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SOURCE_POOL
    assert not candidate.decisions.exists()


def test_a_role_cannot_take_another_roles_step(candidate, users, walk, branch_members):
    walk(candidate, until="approve_admission")
    who, day, data = step_of(branch_members, "approve_admission")
    with pytest.raises(services.WorkflowError, match="vai trò"):
        services.perform("approve_admission", candidate=candidate, actor=users.office,
                         event_date=day, data=data)


def test_a_decision_needs_its_number(candidate, users, walk, branch_members):
    walk(candidate, until="approve_admission")
    with pytest.raises(services.WorkflowError, match="số quyết định"):
        services.perform("approve_admission", candidate=candidate, actor=users.department,
                         event_date=date(2024, 7, 15), data={"document_number": ""})


def test_under_a_partial_committee_its_appraisal_comes_first(users, tree, walk, branch_members):
    from members.models import Role
    from tests.factories import UserFactory, grant

    secretary = UserFactory(username="bithu2")
    grant(secretary, Role.BRANCH_SECRETARY, tree.b2)
    users.secretary = secretary
    person = make_candidate(users, tree.b2, citizen_id=None)
    o = branch_members.partial_officials
    overrides = {
        "assign_helper": (date(2024, 2, 1), {"helper": o[0]}),
        "record_introductions": (date(2024, 5, 20), {
            "introducer_1": o[1], "known_since_1": date(2020, 1, 1),
            "union_kind": "youth_union", "union_resolution": "7/NQ-ĐTN",
            "union_date": date(2024, 5, 18)}),
        "branch_vote": (date(2024, 6, 10), {"eligible": 4, "present": 4, "votes_for": 3}),
    }
    walk(person, until="grassroots_resolution", overrides=overrides)
    err = refused(person, users, branch_members, "grassroots_resolution")
    assert codes(err) == ["PARTIAL_APPRAISAL"]
    assert "Đảng bộ bộ phận Khối Nội" in str(err)
    # The partial committee's own office appraises: the one who appraises does not also
    # resolve (separation of duties).
    appraiser = UserFactory(username="vanphong.khoinoi")
    grant(appraiser, Role.GRASSROOTS_OFFICE, tree.partial)
    services.perform("partial_appraisal", candidate=person, actor=appraiser,
                     event_date=date(2024, 6, 15), data={"note": "Đủ điều kiện"})
    who, day, data = step_of(branch_members, "grassroots_resolution")
    services.perform("grassroots_resolution", candidate=person, actor=users.office,
                     event_date=day, data=data)
    person.refresh_from_db()
    assert person.stage == Stage.AT_UPPER
