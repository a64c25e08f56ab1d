"""Training classes: opening, enrolling many at once, one results grid, and what a pass
does to the pipeline."""
from datetime import date

import pytest

from members.models import Role
from recruitment import services
from recruitment.models import ClassKind, Enrolment, Result, Stage, TrainingClass
from recruitment.services import ResultRow, TrainingError
from tests.factories import UserFactory, grant

from .conftest import make_candidate


def open_class(users, organiser, kind=ClassKind.AWARENESS, **overrides):
    fields = dict(kind=kind, organiser=organiser, course_number="12", year=2024,
                  decision_number="345-QĐ/ĐUK", decision_date=date(2024, 2, 20),
                  start_date=date(2024, 3, 4), end_date=date(2024, 3, 8),
                  place="Trung tâm Chính trị tỉnh")
    fields.update(overrides)
    return services.open_class(actor=users.department, training_class=TrainingClass(**fields))


@pytest.fixture
def with_helper(users, tree, branch_members):
    """Three candidates of branch B1, each with a helper assigned (ready for the class)."""
    people = []
    for n, name in enumerate(["Lê Văn Một", "Trần Thị Hai", "Phạm Văn Ba"]):
        c = make_candidate(users, tree.b1, full_name=name, citizen_id=None)
        services.perform("assign_helper", candidate=c, actor=users.secretary,
                         event_date=date(2024, 2, 1), data={"helper": branch_members.officials[n]})
        c.refresh_from_db()
        people.append(c)
    return people


def rows(klass, **per_name):
    """Result rows by learner name: name=(result, number, date)."""
    out = []
    for e in klass.enrolments.select_related("candidate", "member"):
        result, number, day = per_name.get(e.person.full_name, (Result.PENDING, "", None))
        out.append(ResultRow(enrolment_id=e.pk, result=result, certificate_number=number,
                             certificate_date=day, label=e.person.full_name))
    return out


def test_organisation_department_opens_a_class(users, tree):
    klass = open_class(users, tree.root)
    assert klass.created_by == users.department
    assert "khóa 12/2024" in str(klass)


def test_a_class_ending_before_it_starts_is_refused(users, tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        open_class(users, tree.root, end_date=date(2024, 3, 1))
    assert "end_date" in err.value.message_dict
    assert not TrainingClass.objects.exists()


def test_only_the_department_opens_classes(users, tree):
    with pytest.raises(TrainingError):
        services.open_class(actor=users.secretary, training_class=TrainingClass(
            kind=ClassKind.AWARENESS, organiser=tree.root, course_number="1", year=2024,
            decision_number="1", decision_date=date(2024, 1, 1), start_date=date(2024, 1, 2),
            end_date=date(2024, 1, 3), place="x"))


def test_many_candidates_are_enrolled_at_once(users, tree, with_helper):
    klass = open_class(users, tree.root)
    outcome = services.enrol(training_class=klass, actor=users.department,
                             candidates=with_helper)
    assert len(outcome.enrolled) == 3
    assert klass.enrolments.count() == 3


def test_enrolling_someone_outside_the_organisers_subtree_refuses_the_whole_batch(
    users, tree, with_helper
):
    klass = open_class(users, tree.gc2)  # B1 belongs to GC1, not GC2
    with pytest.raises(TrainingError) as err:
        services.enrol(training_class=klass, actor=users.department, candidates=with_helper)
    assert len(err.value.errors) == 3
    assert "không thuộc Đảng bộ Sở Hai" in err.value.errors[0]
    assert not klass.enrolments.exists()


def test_a_candidate_holding_a_valid_certificate_is_enrolled_with_a_warning(
    users, tree, with_helper
):
    first = open_class(users, tree.root)
    services.enrol(training_class=first, actor=users.department, candidates=with_helper[:1])
    services.record_results(training_class=first, actor=users.department, rows=rows(
        first, **{"Lê Văn Một": (Result.PASSED, "GCN-1", date(2024, 3, 8))}))
    again = open_class(users, tree.root, course_number="13", start_date=date(2024, 9, 9),
                       end_date=date(2024, 9, 13), decision_date=date(2024, 9, 1))
    with_helper[0].refresh_from_db()
    outcome = services.enrol(training_class=again, actor=users.department,
                             candidates=with_helper[:1])
    assert "còn giá trị đến 08/03/2029" in outcome.warnings[0]
    assert again.enrolments.count() == 1


def test_a_probationary_member_cannot_sit_the_awareness_class(users, tree, branch_members):
    klass = open_class(users, tree.root)
    with pytest.raises(TrainingError) as err:
        services.enrol(training_class=klass, actor=users.department,
                       members=[branch_members.probationary])
    assert "lớp nhận thức về Đảng dành cho quần chúng" in str(err.value)


def test_a_candidate_without_a_helper_cannot_be_enrolled_yet(users, tree, candidate):
    klass = open_class(users, tree.root)
    with pytest.raises(TrainingError, match="phân công đảng viên giúp đỡ"):
        services.enrol(training_class=klass, actor=users.department, candidates=[candidate])


def test_the_same_person_cannot_be_enrolled_twice(users, tree, with_helper):
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper[:1])
    with pytest.raises(TrainingError, match="đã có trong danh sách"):
        services.enrol(training_class=klass, actor=users.department, candidates=with_helper[:1])


def test_passing_the_awareness_class_makes_the_candidate_a_sympathiser(users, tree, with_helper):
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper)
    services.record_results(training_class=klass, actor=users.department, rows=rows(
        klass,
        **{"Lê Văn Một": (Result.PASSED, "GCN-101", date(2024, 3, 8)),
           "Trần Thị Hai": (Result.FAILED, "", None),
           "Phạm Văn Ba": (Result.ABSENT, "", None)}))
    one, two, three = (type(c).objects.get(pk=c.pk) for c in with_helper)
    assert one.stage == Stage.SYMPATHISER
    assert (one.awareness_cert_number, one.awareness_cert_date) == ("GCN-101", date(2024, 3, 8))
    assert one.awareness_cert_expires == date(2029, 3, 8)  # the 60-month clock
    assert one.events.last().action == "record_awareness_certificate"
    assert two.stage == three.stage == Stage.HELPER_ASSIGNED


def test_recording_the_same_results_twice_writes_no_second_event(users, tree, with_helper):
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper[:1])
    grid = rows(klass, **{"Lê Văn Một": (Result.PASSED, "GCN-1", date(2024, 3, 8))})
    services.record_results(training_class=klass, actor=users.department, rows=grid)
    services.record_results(training_class=klass, actor=users.department, rows=grid)
    assert with_helper[0].events.filter(action="record_awareness_certificate").count() == 1


def test_a_duplicate_certificate_number_in_one_class_refuses_the_grid(users, tree, with_helper):
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper[:2])
    with pytest.raises(TrainingError) as err:
        services.record_results(training_class=klass, actor=users.department, rows=rows(
            klass, **{"Lê Văn Một": (Result.PASSED, "GCN-7", date(2024, 3, 8)),
                      "Trần Thị Hai": (Result.PASSED, "GCN-7", date(2024, 3, 8))}))
    assert "trùng" in str(err.value)
    # Nothing half-saved: neither result nor pipeline step was written.
    assert not Enrolment.objects.filter(result=Result.PASSED).exists()
    assert not with_helper[0].events.filter(action="record_awareness_certificate").exists()


def test_results_for_people_not_enrolled_are_refused(users, tree, with_helper):
    klass = open_class(users, tree.root)
    other = open_class(users, tree.root, course_number="99")
    services.enrol(training_class=other, actor=users.department, candidates=with_helper[:1])
    foreign = other.enrolments.get()
    with pytest.raises(TrainingError, match="không có trong danh sách lớp"):
        services.record_results(training_class=klass, actor=users.department, rows=[
            ResultRow(enrolment_id=foreign.pk, result=Result.PASSED,
                      certificate_number="X", certificate_date=date(2024, 3, 8))])
    foreign.refresh_from_db()
    assert foreign.result == Result.PENDING


def test_a_pass_needs_its_certificate_number_and_date(users, tree, with_helper):
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper[:1])
    with pytest.raises(TrainingError, match="cần số và ngày cấp"):
        services.record_results(training_class=klass, actor=users.department, rows=rows(
            klass, **{"Lê Văn Một": (Result.PASSED, "", None)}))


def test_a_recorded_pass_cannot_be_changed_afterwards(users, tree, with_helper):
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper[:1])
    services.record_results(training_class=klass, actor=users.department, rows=rows(
        klass, **{"Lê Văn Một": (Result.PASSED, "GCN-1", date(2024, 3, 8))}))
    with pytest.raises(TrainingError, match="không sửa được"):
        services.record_results(training_class=klass, actor=users.department, rows=rows(
            klass, **{"Lê Văn Một": (Result.FAILED, "", None)}))


def test_passing_the_new_member_class_completes_the_recognition_file(users, tree, candidate,
                                                                    walk):
    walk(candidate, until="record_new_member_certificate")
    klass = open_class(users, tree.root, kind=ClassKind.NEW_MEMBER, start_date=date(2025, 1, 6),
                       end_date=date(2025, 1, 10), decision_date=date(2024, 12, 20))
    services.enrol(training_class=klass, actor=users.department, members=[candidate.member])
    services.record_results(training_class=klass, actor=users.department, rows=rows(
        klass, **{candidate.full_name: (Result.PASSED, "ĐVM-5", date(2025, 1, 10))}))
    candidate.refresh_from_db()
    assert (candidate.new_member_cert_number, candidate.new_member_cert_date) == (
        "ĐVM-5", date(2025, 1, 10))
    # The recognition vote, refused without the certificate, now goes through.
    walk(candidate, start_after="record_new_member_certificate")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.OFFICIAL


def test_an_official_member_cannot_sit_the_new_member_class(users, tree, branch_members):
    klass = open_class(users, tree.root, kind=ClassKind.NEW_MEMBER)
    with pytest.raises(TrainingError, match="không phải đảng viên dự bị"):
        services.enrol(training_class=klass, actor=users.department,
                       members=[branch_members.officials[0]])


def test_a_secretary_nominates_and_the_enrolment_fulfils_the_nomination(users, tree,
                                                                        with_helper):
    nomination = services.nominate(actor=users.secretary, kind=ClassKind.AWARENESS,
                                   candidate=with_helper[0])
    with pytest.raises(TrainingError, match="đang chờ xếp lớp"):
        services.nominate(actor=users.secretary, kind=ClassKind.AWARENESS,
                          candidate=with_helper[0])
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=[with_helper[0]])
    nomination.refresh_from_db()
    assert nomination.enrolment.training_class == klass


def test_a_secretary_cannot_nominate_for_another_branch(users, tree, with_helper):
    other = UserFactory(username="bithu-b3")
    grant(other, Role.BRANCH_SECRETARY, tree.b3)
    with pytest.raises(TrainingError, match="Chỉ bí thư chi bộ"):
        services.nominate(actor=other, kind=ClassKind.AWARENESS, candidate=with_helper[0])
