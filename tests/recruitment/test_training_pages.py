"""Training-class pages: allowed, not allowed, outside the subtree; the grid; the PDFs."""
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recruitment import services
from recruitment.models import ClassKind, Nomination, Result, Stage, TrainingClass
from tests.pdftext import pdf_text
from tests.recruitment.paper_text import docx_text

from .test_training import open_class, with_helper  # noqa: F401  (fixture)


def url(name, *args):
    return reverse(f"recruitment:{name}", args=args)


def test_the_department_opens_a_class_from_the_form(as_user, users, tree):
    response = as_user(users.department).post(url("class_create"), {
        "kind": "awareness", "organiser": tree.root.pk, "course_number": "3", "year": "2026",
        "decision_number": "12-QĐ/ĐUK", "decision_date": "02/03/2026",
        "start_date": "09/03/2026", "end_date": "13/03/2026", "place": "Hội trường Đảng ủy Khối",
    })
    klass = TrainingClass.objects.get()
    assert response.status_code == 302
    assert response.url == url("class_detail", klass.pk)


def test_opening_a_class_with_dates_out_of_order_says_where(as_user, users, tree):
    response = as_user(users.department).post(url("class_create"), {
        "kind": "awareness", "organiser": tree.root.pk, "course_number": "3", "year": "2026",
        "decision_number": "12", "decision_date": "20/03/2026",
        "start_date": "09/03/2026", "end_date": "01/03/2026", "place": "x",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "end_date" in errors and "decision_date" in errors
    assert not TrainingClass.objects.exists()


def test_a_secretary_cannot_open_a_class(as_user, users):
    assert as_user(users.secretary).get(url("class_create")).status_code == 404


def test_a_class_outside_the_scope_is_a_404(as_user, users, tree):
    from members.models import Role
    from tests.factories import UserFactory, grant

    klass = open_class(users, tree.gc1)
    outsider = UserFactory(username="btc-gc2")
    grant(outsider, Role.ORG_DEPARTMENT, tree.gc2)
    client = as_user(outsider)
    assert client.get(url("class_detail", klass.pk)).status_code == 404
    assert client.get(url("class_roster_pdf", klass.pk)).status_code == 404
    assert client.post(url("class_results", klass.pk), {}).status_code == 404


def test_the_enrol_page_adds_the_ticked_people(as_user, users, tree, with_helper):  # noqa: F811
    klass = open_class(users, tree.root)
    client = as_user(users.department)
    page = client.get(url("class_enrol", klass.pk))
    assert [p.full_name for p in page.context["eligible"]] == [
        "Lê Văn Một", "Phạm Văn Ba", "Trần Thị Hai"]
    response = client.post(url("class_enrol", klass.pk),
                           {"person": [f"c{c.pk}" for c in with_helper[:2]]})
    assert response.status_code == 302
    assert klass.enrolments.count() == 2


def test_a_crafted_enrol_post_for_someone_out_of_scope_changes_nothing(as_user, users, tree,
                                                                       with_helper):  # noqa: F811
    klass = open_class(users, tree.root)
    response = as_user(users.department).post(url("class_enrol", klass.pk),
                                              {"person": ["c999999", "zzz"]})
    assert response.status_code == 200
    assert not klass.enrolments.exists()


def test_the_results_grid_records_the_whole_class(as_user, users, tree, with_helper):  # noqa: F811
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper)
    e1, e2, e3 = klass.enrolments.order_by("pk")
    response = as_user(users.department).post(url("class_results", klass.pk), {
        "enrolment": [e1.pk, e2.pk, e3.pk],
        f"result-{e1.pk}": "passed", f"number-{e1.pk}": "GCN-1", f"date-{e1.pk}": "08/03/2024",
        f"result-{e2.pk}": "passed", f"number-{e2.pk}": "GCN-2", f"date-{e2.pk}": "08/03/2024",
        f"result-{e3.pk}": "absent", f"number-{e3.pk}": "", f"date-{e3.pk}": "",
    })
    assert response.status_code == 302
    assert klass.enrolments.filter(result=Result.PASSED).count() == 2
    with_helper[0].refresh_from_db()
    assert with_helper[0].stage == Stage.SYMPATHISER


def test_a_bad_row_in_the_grid_names_its_line_and_saves_nothing(as_user, users, tree,
                                                               with_helper):  # noqa: F811
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper[:2])
    e1, e2 = klass.enrolments.order_by("pk")
    response = as_user(users.department).post(url("class_results", klass.pk), {
        "enrolment": [e1.pk, e2.pk],
        f"result-{e1.pk}": "passed", f"number-{e1.pk}": "GCN-1", f"date-{e1.pk}": "08/03/2024",
        f"result-{e2.pk}": "passed", f"number-{e2.pk}": "GCN-2", f"date-{e2.pk}": "31/02/2024",
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "Dòng 2" in body and "31/02/2024" in body
    assert not klass.enrolments.filter(result=Result.PASSED).exists()


def test_the_roster_and_certificate_list_are_real_pdfs(as_user, users, tree,
                                                      with_helper):  # noqa: F811
    klass = open_class(users, tree.root)
    services.enrol(training_class=klass, actor=users.department, candidates=with_helper)
    services.record_results(training_class=klass, actor=users.department, rows=[
        services.ResultRow(enrolment_id=e.pk, result=Result.PASSED,
                           certificate_number=f"GCN-{n}", certificate_date=date(2024, 3, 8))
        for n, e in enumerate(klass.enrolments.order_by("pk"), start=1)])
    client = as_user(users.department)
    roster = client.get(url("class_roster_pdf", klass.pk))
    assert roster["Content-Type"] == "application/pdf"
    text = pdf_text(roster.content)
    for expected in ["ĐẢNG CỘNG SẢN VIỆT NAM", "DANH SÁCH HỌC VIÊN", "Trần Thị Hai",
                     "Trung tâm Chính trị tỉnh", "gồm 3 học viên"]:
        assert expected in text, expected
    certificates = pdf_text(client.get(url("class_certificates_pdf", klass.pk)).content)
    assert "DANH SÁCH CẤP GIẤY CHỨNG NHẬN" in certificates
    assert "GCN-2" in certificates and "08/03/2024" in certificates
    # The same papers as Word files, to edit before signing.
    word = client.get(url("class_certificates_docx", klass.pk))
    assert word["Content-Disposition"].startswith('attachment; filename="danh-sach-cap-giay')
    assert "GCN-2" in docx_text(word.content) and "Trần Thị Hai" in docx_text(word.content)
    assert "gồm 3 học viên" in docx_text(client.get(url("class_roster_docx", klass.pk)).content)


def test_a_secretary_nominates_from_the_page_and_sees_the_status(as_user, users, tree,
                                                                with_helper):  # noqa: F811
    client = as_user(users.secretary)
    response = client.post(url("nominations"), {"kind": "awareness",
                                                "person": f"c{with_helper[0].pk}"})
    assert response.status_code == 302
    body = client.get(url("nominations")).content.decode()
    assert "Chờ xếp lớp" in body and "Lê Văn Một" in body
    assert Nomination.objects.get().nominated_by == users.secretary


def test_a_nomination_for_a_person_of_another_branch_is_refused(as_user, users, tree,
                                                               branch_members):
    from .conftest import make_candidate

    outsider = make_candidate(users, tree.b1, citizen_id=None)
    outsider.organisation = tree.b3
    outsider.save()
    response = as_user(users.secretary).post(url("nominations"), {
        "kind": "awareness", "person": f"c{outsider.pk}"})
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not Nomination.objects.exists()


def test_the_class_list_runs_the_same_queries_whatever_its_length(as_user, users, tree):
    client = as_user(users.department)
    open_class(users, tree.root)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("class_list")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(10):
        open_class(users, tree.root, course_number=f"K{n}", kind=ClassKind.NEW_MEMBER)
    assert count() == few


def test_the_worklist_lists_candidates_waiting_for_a_class(as_user, users, with_helper):  # noqa: F811,E501
    response = as_user(users.secretary).get(url("worklist"))
    sections = {s["key"]: [c.full_name for c, _ in s["rows"]]
                for s in response.context["sections"]}
    assert sorted(sections["waiting_class"]) == ["Lê Văn Một", "Phạm Văn Ba", "Trần Thị Hai"]


def test_the_worklist_flags_a_probation_with_no_new_member_class(as_user, users, candidate,
                                                                walk):
    walk(candidate, until="record_new_member_certificate")
    response = as_user(users.secretary).get(url("worklist"))
    sections = {s["key"]: [c.full_name for c, _ in s["rows"]]
                for s in response.context["sections"]}
    assert sections["new_member_class_due"] == [candidate.full_name]
