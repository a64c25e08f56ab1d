"""A printed document's heading names the place of the organisation that issues it (its own,
else the nearest one above it that has one, else the deployment's, else a dotted line to fill
in by hand) and its signer; a committee in one province never prints another's city."""
from datetime import date

import pytest
from django.urls import reverse

from members.documents import DOTTED_LINE, document_heading
from members.pdf import render_pdf
from recruitment.models import Enrolment, Result, TrainingClass
from tests.factories import MemberFactory
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_deployment_place(settings):
    settings.DOCUMENT_PLACE = ""


def with_place(org, place):
    org.document_place = place
    org.save(update_fields=["document_place"])
    return org


def test_a_branch_takes_the_place_of_its_grandparent_in_one_query(tree,
                                                                   django_assert_num_queries):
    with_place(tree.root, "Vĩnh Yên")
    with django_assert_num_queries(1):
        heading = document_heading(tree.b2)  # B2 → partial committee → GC1 → root
    assert heading["place"] == "Vĩnh Yên"


def test_the_nearest_place_above_wins_over_the_root(tree):
    with_place(tree.root, "Vĩnh Yên")
    with_place(tree.gc1, "Phúc Yên")
    assert document_heading(tree.b1)["place"] == "Phúc Yên"
    assert document_heading(tree.b3)["place"] == "Vĩnh Yên"


def test_an_organisations_own_place_wins_without_a_query(tree, django_assert_num_queries):
    with_place(tree.root, "Vĩnh Yên")
    with_place(tree.b1, "Tam Đảo")
    with django_assert_num_queries(0):
        assert document_heading(tree.b1)["place"] == "Tam Đảo"


def test_with_nothing_recorded_the_place_is_a_dotted_line_never_ha_noi(tree):
    heading = document_heading(tree.b2)
    assert heading["place"] == DOTTED_LINE
    assert "Hà Nội" not in heading.values()


def test_the_deployments_place_is_only_the_last_fallback(tree, settings):
    settings.DOCUMENT_PLACE = "Vĩnh Phúc"
    assert document_heading(tree.b1)["place"] == "Vĩnh Phúc"
    with_place(tree.gc1, "Phúc Yên")
    assert document_heading(tree.b1)["place"] == "Phúc Yên"


def test_the_signer_defaults_to_the_secretary_with_a_blank_name(tree):
    assert document_heading(tree.gc1) == {
        "place": DOTTED_LINE, "signer_capacity": "T/M ĐẢNG ỦY", "signer_title": "BÍ THƯ",
        "signer_name": ""}
    tree.root.signer_title = "PHÓ BÍ THƯ"
    tree.root.signer_name = "Nguyễn Văn Ký"
    heading = document_heading(tree.root)
    assert (heading["signer_capacity"], heading["signer_title"], heading["signer_name"]) == (
        "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn Ký")
    assert document_heading(tree.b1)["signer_capacity"] == "T/M CHI BỘ"


def document(org):
    return {**document_heading(org), "body": org.name, "date": date(2025, 6, 1),
            "title": "Thông báo", "recipients": []}


def test_the_pdf_prints_the_place_and_signer(tree):
    with_place(tree.root, "Vĩnh Yên")
    tree.gc1.signer_name = "Trần Thị Ký"
    tree.gc1.save(update_fields=["signer_name"])
    text = pdf_text(render_pdf("pdf/base.html", {"doc": document(tree.gc1)}))
    assert "Vĩnh Yên, ngày 01 tháng 6 năm 2025" in text
    assert "T/M ĐẢNG ỦY" in text and "BÍ THƯ" in text and "Trần Thị Ký" in text


def test_a_pdf_with_nothing_recorded_leaves_dotted_lines_to_write_in(tree):
    text = pdf_text(render_pdf("pdf/base.html", {"doc": document(tree.b1)}))
    assert f"{DOTTED_LINE}, ngày 01 tháng 6 năm 2025" in text
    assert text.count(DOTTED_LINE) == 2  # the place and the signer's name
    assert "Hà Nội" not in text


def test_a_class_roster_and_certificate_list_print_the_organisers_place(as_user, users, tree):
    with_place(tree.root, "Vĩnh Yên")
    klass = TrainingClass.objects.create(
        kind="awareness", organiser=tree.gc1, course_number="12", year=2024,
        decision_number="345-QĐ/ĐU", decision_date=date(2024, 2, 20),
        start_date=date(2024, 3, 4), end_date=date(2024, 3, 8), place="Hội trường")
    # Someone passed: a certificate list of nobody is not printed (it says so instead).
    Enrolment.objects.create(training_class=klass, member=MemberFactory(organisation=tree.b1),
                             result=Result.PASSED, certificate_number="GCN-1",
                             certificate_date=date(2024, 3, 8))
    client = as_user(users.department)
    for name in ("class_roster_pdf", "class_certificates_pdf"):
        text = pdf_text(client.get(reverse(f"recruitment:{name}", args=[klass.pk])).content)
        assert "Vĩnh Yên, ngày" in text, name
        assert "T/M ĐẢNG ỦY" in text and "Hà Nội" not in text, name


def test_the_admin_edits_the_place_signer_and_dates_as_dd_mm_yyyy(as_user, users, tree):
    client = as_user(users.admin)
    url = reverse("admin:members_organisation_change", args=[tree.gc1.pk])
    page = client.get(url).content.decode()
    for field in ("document_place", "signer_title", "signer_name", "opened_on",
                  "dissolved_on"):
        assert f'name="{field}"' in page, field
    response = client.post(url, {
        "code": "GC1", "name": tree.gc1.name, "kind": "grassroots_committee",
        "parent": tree.root.pk, "document_place": "Phúc Yên", "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Lê Văn Ký", "opened_on": "01/07/2008", "dissolved_on": "",
        "admission_delegated_ref": "",
        "headcounts-TOTAL_FORMS": "0", "headcounts-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    tree.gc1.refresh_from_db()
    assert (tree.gc1.document_place, tree.gc1.signer_name, tree.gc1.opened_on) == (
        "Phúc Yên", "Lê Văn Ký", date(2008, 7, 1))
    assert document_heading(tree.b1)["place"] == "Phúc Yên"
