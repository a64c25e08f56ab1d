"""A dossier being worked on in the app (a step typed on its page) is never changed by a file,
whoever imports it: its page is the one way forward. A row that says what the dossier already
says stays "unchanged"."""
from recruitment.models import Candidate, Decision, Stage, StageEvent
from tests.recruitment.conftest import make_candidate

from .conftest import candidate_row, candidates_csv, full_history, messages, run_import

REFUSED = ("hồ sơ của quần chúng này đang được xử lý trên ứng dụng nên nhập tệp không sửa "
           "được; hãy ghi thay đổi trên trang hồ sơ của quần chúng.")


def test_a_file_cannot_move_a_dossier_built_in_the_app(users, tree, branch_members, walk):
    candidate = walk(make_candidate(users, tree.b1), until="record_awareness_certificate")
    events = candidate.events.count()
    row = full_history(**{"Đảng viên theo dõi, giúp đỡ":
                          branch_members.officials[0].card_number})
    for user in (users.admin, None):
        assert messages(run_import("candidates", candidates_csv(row), user)) == [
            f"dòng 2, cột Ngày cấp giấy chứng nhận bồi dưỡng nhận thức: {REFUSED}"]
    candidate.refresh_from_db()
    assert candidate.stage == Stage.HELPER_ASSIGNED
    assert candidate.events.count() == events and not Decision.objects.exists()


def test_a_file_cannot_change_the_identity_of_a_dossier_built_in_the_app(users, tree,
                                                                         branch_members):
    make_candidate(users, tree.b1)
    row = candidate_row(**{"Trình độ chuyên môn": "Cử nhân Kinh tế"})
    assert messages(run_import("candidates", candidates_csv(row), users.secretary)) == [
        f"dòng 2, cột Trình độ chuyên môn: {REFUSED}"]
    assert Candidate.objects.get().profession == ""


def test_a_row_that_matches_a_dossier_built_in_the_app_stays_unchanged(
        as_user, users, tree, branch_members, walk):
    from .conftest import export_bytes

    walk(make_candidate(users, tree.b1), until="branch_vote")
    exported = export_bytes(as_user(users.admin), "candidates", "csv")
    outcome = run_import("candidates", exported, users.secretary)
    assert outcome.ok, messages(outcome)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)


def test_a_dossier_loaded_from_files_still_takes_later_files(users, helper):
    first = candidate_row(**{"Ngày cấp giấy chứng nhận bồi dưỡng nhận thức": "15/03/2024"})
    assert run_import("candidates", candidates_csv(first), users.secretary).ok
    later = dict(first, **{"Ngày chi bộ xét": "10/06/2024"})
    outcome = run_import("candidates", candidates_csv(later), users.secretary)
    assert outcome.ok and outcome.updated == 1
    assert StageEvent.objects.filter(imported=False).count() == 0
