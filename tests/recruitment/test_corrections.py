"""Correcting what was entered wrongly: a typo in the person's identity, corrected by the
branch secretary or the organisation department with a reason; the last step, undone by whoever
recorded it while nobody has acted after it. Both stay on the timeline and in the history."""
import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.template.loader import render_to_string
from django.urls import reverse

from members.models import Role
from recruitment import services
from recruitment.models import Candidate, Stage, StageEvent, VerificationRecord, Vote
from recruitment.services import corrections
from recruitment.workflow import get_action
from tests.factories import UserFactory, grant

from .conftest import make_candidate, step_of

TAKEN = "Số CCCD này đã có trong hệ thống; liên hệ Ban Tổ chức."
REASON = "Gõ thiếu dấu khi nhập"
CCCD = "001090000001"


def url(name, candidate):
    return reverse(f"recruitment:{name}", args=[candidate.pk])


def identity(candidate, **changes):
    data = {"full_name": candidate.full_name, "birth_date": candidate.birth_date.strftime(
        "%d/%m/%Y"), "sex": candidate.sex, "ethnicity": candidate.ethnicity,
        "religion": candidate.religion, "citizen_id": candidate.citizen_id or "",
        "reason": REASON}
    data.update(changes)
    return data


def take(action, candidate, actor, branch_members, **data):
    _, day, default = step_of(branch_members, action)
    event = services.perform(action, candidate=candidate, actor=actor, event_date=day,
                             data={**default, **data})
    candidate.refresh_from_db()
    return event


def corrections_block(response, candidate):
    """The include the candidate's page shows (links, corrections, undone steps)."""
    events = candidate.events.select_related("actor").order_by("recorded_at", "pk")
    return render_to_string("recruitment/_corrections.html",
                            {"candidate": candidate, "events": events},
                            request=response.wsgi_request)


def holder_of(branch, cid):
    return Candidate.objects.create(
        full_name="Người Khác", birth_date=date(1990, 1, 1), sex="male", citizen_id=cid,
        education="upper_secondary", organisation=branch, added_date=date(2024, 1, 1),
        plan_year=2024, stage_date=date(2024, 1, 1))


@pytest.fixture
def typo(users, tree, branch_members):
    return make_candidate(users, tree.b1, full_name="Nguyễn Van A")


# Identity -----------------------------------------------------------------------------------

def test_a_typo_in_the_name_corrected_by_the_secretary_shows_on_the_timeline_and_history(
    as_user, users, typo
):
    client = as_user(users.secretary)
    assert client.get(url("candidate_correct", typo)).status_code == 200

    response = client.post(url("candidate_correct", typo),
                           identity(typo, full_name="Nguyễn Văn A"))

    assert response.status_code == 302
    typo.refresh_from_db()
    assert typo.full_name == "Nguyễn Văn A"
    assert typo.search_name == "nguyen van a"
    event = typo.events.get(action="correct_identity")
    assert event.note == REASON
    assert event.payload == {"changes": {"full_name": ["Nguyễn Van A", "Nguyễn Văn A"]}}
    assert event.from_stage == event.to_stage == Stage.SOURCE_POOL
    assert event.actor == users.secretary
    row = typo.history.order_by("-history_date", "-history_id").first()
    assert row.history_change_reason == REASON
    assert row.history_channel == "page"
    assert row.history_user == users.secretary

    page = client.get(url("candidate_detail", typo)).content.decode()
    assert "Sửa thông tin" in page and REASON in page  # the timeline: the event and its reason
    assert "Nguyễn Van A → Nguyễn Văn A" in page  # Lịch sử thay đổi
    block = corrections_block(response, typo)
    assert "Sửa thông tin: Họ và tên “Nguyễn Van A” → “Nguyễn Văn A” — lý do: " + REASON in \
        " ".join(block.split())


def test_a_correction_without_a_reason_is_refused(as_user, users, typo):
    response = as_user(users.secretary).post(
        url("candidate_correct", typo), identity(typo, full_name="Nguyễn Văn A", reason=" "))

    assert response.status_code == 400
    assert "Cần ghi rõ lý do." in response.content.decode()
    typo.refresh_from_db()
    assert typo.full_name == "Nguyễn Van A"
    assert not typo.events.filter(action="correct_identity").exists()


def test_nothing_changed_is_refused(as_user, users, typo):
    response = as_user(users.secretary).post(url("candidate_correct", typo), identity(typo))
    assert response.status_code == 400
    assert "Không có gì thay đổi." in response.content.decode()
    assert typo.events.count() == 1


def test_another_branchs_secretary_gets_404(as_user, users, typo, tree):
    other = UserFactory(username="bithu.ba")
    grant(other, Role.BRANCH_SECRETARY, tree.b3)
    client = as_user(other)
    assert client.get(url("candidate_correct", typo)).status_code == 404
    assert client.post(url("candidate_correct", typo),
                       identity(typo, full_name="Nguyễn Văn A")).status_code == 404
    assert client.get(url("candidate_undo", typo)).status_code == 404
    typo.refresh_from_db()
    assert typo.full_name == "Nguyễn Van A"


@pytest.mark.parametrize("who", ["leader", "office"])
def test_a_role_that_does_not_correct_identities_gets_403(as_user, users, typo, who):
    client = as_user(getattr(users, who))
    assert client.get(url("candidate_correct", typo)).status_code == 403
    response = client.post(url("candidate_correct", typo),
                           identity(typo, full_name="Nguyễn Văn A"))
    assert response.status_code == 403
    typo.refresh_from_db()
    assert typo.full_name == "Nguyễn Van A"
    # A leader takes no step, so has none to undo either.
    assert client.get(url("candidate_undo", typo)).status_code == (403 if who == "leader"
                                                                    else 200)


def test_the_department_corrects_too(as_user, users, typo):
    response = as_user(users.department).post(
        url("candidate_correct", typo), identity(typo, sex="male", religion="Phật giáo"))
    assert response.status_code == 302
    event = typo.events.get(action="correct_identity")
    assert event.payload["changes"] == {"sex": ["Nữ", "Nam"],
                                        "religion": ["Không", "Phật giáo"]}


def test_a_closed_dossier_is_corrected_by_the_department_only(as_user, users, typo):
    services.perform("withdraw", candidate=typo, actor=users.secretary,
                     event_date=date(2024, 2, 1), data={"note": "Xin rút"})
    data = identity(typo, full_name="Nguyễn Văn A")
    assert as_user(users.secretary).post(url("candidate_correct", typo), data).status_code == 403
    assert as_user(users.department).post(url("candidate_correct", typo),
                                          data).status_code == 302
    typo.refresh_from_db()
    assert typo.full_name == "Nguyễn Văn A"


def test_a_taken_cccd_answers_the_neutral_message(as_user, users, typo, tree):
    holder_of(tree.b3, CCCD)
    response = as_user(users.secretary).post(
        url("candidate_correct", typo), identity(typo, citizen_id=CCCD))

    assert response.status_code == 400
    assert response.context["form"].errors["citizen_id"] == [TAKEN]
    assert "Người Khác" not in response.content.decode()
    typo.refresh_from_db()
    assert typo.citizen_id == "001195012345"


def test_a_cccd_taken_between_the_check_and_the_save_is_still_the_neutral_message(
    as_user, users, typo, tree, monkeypatch
):
    # Two people saving one CCCD at once: the check of the second ran before the first saved,
    # so only the database's unique index is left to notice.
    holder_of(tree.b1, CCCD)
    monkeypatch.setattr(Candidate, "validate_unique", lambda self, exclude=None: None)

    response = as_user(users.secretary).post(
        url("candidate_correct", typo), identity(typo, citizen_id=CCCD))

    assert response.status_code == 400
    assert response.context["form"].errors["citizen_id"] == [TAKEN]
    assert not typo.events.filter(action="correct_identity").exists()


def test_identity_is_validated_as_on_entry(as_user, users, typo):
    client = as_user(users.secretary)
    response = client.post(url("candidate_correct", typo), identity(
        typo, full_name="A" * 121, birth_date="10/01/2024", citizen_id="12345"))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Tối đa 120 ký tự (đang có 121 ký tự)."]
    assert errors["birth_date"] == ["Ngày sinh phải trước ngày vào danh sách dự nguồn "
                                    "(10/01/2024)."]
    assert errors["citizen_id"] == ["Số CCCD gồm đúng 12 chữ số."]
    assert 'maxlength' not in response.content.decode().split('name="full_name"')[1][:200]
    typo.refresh_from_db()
    assert typo.full_name == "Nguyễn Van A"


# Undo ---------------------------------------------------------------------------------------

def test_undoing_a_branch_vote_removes_its_vote_and_lets_the_branch_vote_again(
    as_user, users, candidate, walk, branch_members
):
    walk(candidate, until="send_up")
    vote_event = candidate.events.get(action="branch_vote")
    assert Vote.objects.filter(event=vote_event).exists()
    client = as_user(users.secretary)
    page = client.get(url("candidate_undo", candidate))
    assert page.status_code == 200 and page.context["event"] == vote_event

    response = client.post(url("candidate_undo", candidate),
                           {"event": vote_event.pk, "reason": "Ghi nhầm số phiếu"})

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.OPINIONS_COLLECTED
    assert candidate.branch_vote_date is None
    assert candidate.stage_date == date(2024, 6, 1)
    assert not Vote.objects.filter(candidate=candidate).exists()
    undo = candidate.events.order_by("-recorded_at", "-pk").first()
    assert (undo.action, undo.from_stage, undo.to_stage) == (
        "undo_step", Stage.BRANCH_VOTED, Stage.OPINIONS_COLLECTED)
    assert undo.payload == {"undoes": vote_event.pk} and undo.note == "Ghi nhầm số phiếu"
    assert StageEvent.objects.filter(pk=vote_event.pk).exists()  # stays on the timeline
    assert candidate.history.order_by("-history_date").first().history_change_reason == \
        "Ghi nhầm số phiếu"
    block = corrections_block(response, candidate)
    assert "đã hủy" in block and "Ghi nghị quyết chi bộ đề nghị kết nạp" in block

    take("branch_vote", candidate, users.secretary, branch_members)
    assert candidate.stage == Stage.BRANCH_VOTED
    assert Vote.objects.filter(candidate=candidate).count() == 1


def test_undoing_a_return_clears_returned_by(users, candidate, walk, branch_members):
    walk(candidate, until="grassroots_resolution")
    due = candidate.due_date
    returned = services.perform("return_to_branch", candidate=candidate, actor=users.office,
                                event_date=date(2024, 6, 15),
                                data={"return_to": Stage.OPINIONS_COLLECTED,
                                      "note": "Thiếu ý kiến nơi cư trú"})
    candidate.refresh_from_db()
    assert candidate.returned_by == returned

    corrections.undo_last_step(actor=users.office, candidate=candidate, reason="Trả nhầm hồ sơ")

    candidate.refresh_from_db()
    assert candidate.returned_by is None
    assert candidate.stage == Stage.AT_GRASSROOTS
    assert candidate.due_date == due


def test_undo_by_someone_else_is_refused(as_user, users, candidate, walk):
    walk(candidate, until="send_up")
    latest = candidate.events.order_by("-recorded_at", "-pk").first()
    response = as_user(users.department).post(url("candidate_undo", candidate),
                                              {"event": latest.pk, "reason": "Thử"})
    assert response.status_code == 400
    assert "Chỉ người đã ghi bước “Ghi nghị quyết chi bộ đề nghị kết nạp” được hủy bước đó." \
        in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.BRANCH_VOTED


def test_undo_after_a_later_step_is_refused(users, candidate, walk, branch_members):
    walk(candidate, until="send_up")
    vote = candidate.events.get(action="branch_vote")
    take("send_up", candidate, users.secretary, branch_members)
    with pytest.raises(services.WorkflowError, match="đã có thao tác mới"):
        corrections.undo_last_step(actor=users.secretary, candidate=candidate, reason="x",
                                   expected=vote.pk)
    take("grassroots_resolution", candidate, users.office, branch_members)
    with pytest.raises(services.WorkflowError, match="Chỉ người đã ghi"):
        corrections.undo_last_step(actor=users.secretary, candidate=candidate, reason="x")
    assert candidate.stage == Stage.AT_UPPER
    assert Vote.objects.filter(candidate=candidate).count() == 2


def test_undo_after_a_later_change_of_the_record_is_refused(users, candidate, walk):
    walk(candidate, until="send_up")
    corrections.correct_identity(actor=users.secretary, candidate=candidate,
                                 values={"religion": "Công giáo"}, reason="Ghi nhầm")
    with pytest.raises(services.WorkflowError, match="sửa thông tin"):
        corrections.undo_last_step(actor=users.secretary, candidate=candidate, reason="x")


def test_undo_after_a_save_outside_the_pipeline_is_refused(users, candidate, walk):
    walk(candidate, until="send_up")
    candidate.occupation = "Kỹ sư"
    candidate.save()  # the admin, say: a history row after the step
    with pytest.raises(services.WorkflowError, match="đã được sửa sau bước"):
        corrections.undo_last_step(actor=users.secretary, candidate=candidate, reason="x")


def test_undoing_the_ceremony_is_left_to_the_department(as_user, users, candidate, walk):
    walk(candidate, until="record_new_member_certificate")
    response = as_user(users.secretary).get(url("candidate_undo", candidate))
    assert response.status_code == 200
    assert response.context["event"] is None
    assert ("Bước “Ghi lễ kết nạp” đã tạo hoặc thay đổi hồ sơ đảng viên: việc hủy bước này do "
            "Ban Tổ chức thực hiện.") in response.content.decode()
    with pytest.raises(services.WorkflowError, match="Ban Tổ chức"):
        corrections.undo_last_step(actor=users.secretary, candidate=candidate, reason="x")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.PROBATIONARY and candidate.member is not None


def test_undo_then_redo_by_the_same_person_is_not_a_duty_conflict(
    users, candidate, walk, branch_members
):
    walk(candidate, until="grassroots_resolution")
    take("grassroots_resolution", candidate, users.office, branch_members)
    corrections.undo_last_step(actor=users.office, candidate=candidate,
                               reason="Ghi nhầm số ủy viên")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.AT_GRASSROOTS
    assert not candidate.votes.filter(kind="grassroots").exists()
    assert any(a.code == "grassroots_resolution"
               for a in services.available_actions(users.office, candidate))

    take("grassroots_resolution", candidate, users.office, branch_members)
    assert candidate.stage == Stage.AT_UPPER
    # The redone step is a hand-over again: whoever took it may not take the next one.
    assert services.duty_conflict(users.office, candidate, get_action("approve_admission"))


def test_a_double_undo_is_refused_the_second_time(as_user, users, candidate, walk):
    walk(candidate, until="send_up")
    vote = candidate.events.get(action="branch_vote")
    client = as_user(users.secretary)
    data = {"event": vote.pk, "reason": "Ghi nhầm"}
    assert client.post(url("candidate_undo", candidate), data).status_code == 302

    again = client.post(url("candidate_undo", candidate), data)

    assert again.status_code == 400
    assert "đã có thao tác mới" in again.content.decode()
    assert candidate.events.filter(action="undo_step").count() == 1
    candidate.refresh_from_db()
    assert candidate.stage == Stage.OPINIONS_COLLECTED


def test_undoing_an_answer_clears_it_and_undoing_a_request_deletes_it(users, candidate, walk):
    walk(candidate, until="certify_history")
    services.perform("add_verification", candidate=candidate, actor=users.secretary,
                     event_date=date(2024, 4, 6),
                     data={"relation": "father", "person_name": "Hoàng Văn Bố",
                           "requested_of": "UBND xã"})
    record = VerificationRecord.objects.get(person_name="Hoàng Văn Bố")
    services.perform("answer_verification", candidate=candidate, actor=users.secretary,
                     event_date=date(2024, 5, 3), data={"record": record, "conclusion": "Tốt"})

    corrections.undo_last_step(actor=users.secretary, candidate=candidate, reason="Nhầm phiếu")
    record.refresh_from_db()
    assert record.answered_date is None and record.conclusion == ""
    assert candidate.stage == Stage.APPLIED

    take_back = services.perform("add_verification", candidate=candidate, actor=users.secretary,
                                 event_date=date(2024, 4, 7),
                                 data={"relation": "mother", "person_name": "Lê Thị Mẹ",
                                       "requested_of": "UBND xã"})
    corrections.undo_last_step(actor=users.secretary, candidate=candidate, reason="Ghi trùng",
                               expected=take_back.pk)
    assert not VerificationRecord.objects.filter(person_name="Lê Thị Mẹ").exists()


def test_undoing_a_transfer_brings_the_dossier_back(users, candidate, tree, walk):
    walk(candidate, until="record_application")
    services.perform("transfer", candidate=candidate, actor=users.department,
                     event_date=date(2024, 3, 20), data={"to_organisation": tree.b3})
    candidate.refresh_from_db()
    assert candidate.organisation == tree.b3

    corrections.undo_last_step(actor=users.department, candidate=candidate,
                               reason="Chuyển nhầm chi bộ")

    candidate.refresh_from_db()
    assert candidate.organisation == tree.b1
    assert candidate.stage == Stage.SYMPATHISER


def test_nothing_to_undo_is_said_not_refused_with_an_error(as_user, users, typo):
    response = as_user(users.secretary).get(url("candidate_undo", typo))
    assert response.status_code == 200
    assert "Hồ sơ chưa có bước nào để hủy." in response.content.decode()
    assert as_user(users.secretary).post(url("candidate_undo", typo), {}).status_code == 400


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_undos_at_once_let_exactly_one_through(users, candidate, walk):
    walk(candidate, until="send_up")
    vote = candidate.events.get(action="branch_vote")
    barrier = threading.Barrier(2)
    outcomes = []

    def undo():
        try:
            barrier.wait(timeout=10)
            corrections.undo_last_step(actor=users.secretary, candidate=candidate,
                                       reason="Ghi nhầm", expected=vote.pk)
            outcomes.append("ok")
        except services.WorkflowError as err:
            outcomes.append(err.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=undo) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert outcomes.count("ok") == 1, outcomes
    assert candidate.events.filter(action="undo_step").count() == 1


def test_undoing_a_certificate_clears_it_and_its_expiry(users, candidate, walk):
    walk(candidate, until="record_application")
    assert candidate.awareness_cert_expires is not None

    corrections.undo_last_step(actor=users.secretary, candidate=candidate, reason="Nhầm người")

    candidate.refresh_from_db()
    assert candidate.stage == Stage.HELPER_ASSIGNED
    assert (candidate.awareness_cert_number, candidate.awareness_cert_date,
            candidate.awareness_cert_expires) == ("", None, None)
