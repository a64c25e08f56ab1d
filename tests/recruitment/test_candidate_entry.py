"""The candidate form: general education as a category of the statistics forms, an exemption
and its approval document when the level is below lower secondary (errors next to the field),
whose background will be verified (married, adult children), labels with their diacritics."""
import re
from datetime import date

import pytest
from django.urls import reverse

from recruitment.forms import CandidateForm
from recruitment.models import Candidate, Education, EducationExemption

E, X = Education, EducationExemption
DOC = "12-CV/TU ngày 05/01/2024"


def data(tree, **fields):
    values = {"full_name": "Lò Văn Páo", "birth_date": "03/02/1990", "sex": "male",
              "ethnicity": "Thái", "religion": "Không", "citizen_id": "011090001234",
              "education": E.UPPER_SECONDARY, "source": "other", "organisation": tree.b1.pk,
              "added_date": "05/01/2026", "plan_year": "2026", "adult_children": "0"}
    values.update(fields)
    return values


def form(tree, **fields):
    from members.models import Organisation

    return CandidateForm(data(tree, **fields), branches=Organisation.objects.filter(pk=tree.b1.pk))


@pytest.mark.parametrize(("education", "kind", "document", "error_on"), [
    (E.UPPER_SECONDARY, "", "", None),
    (E.LOWER_SECONDARY, "", "", None),
    # Below lower secondary without an exemption is kept in the pool (the person may still
    # finish school); the EDUCATION rule refuses the branch vote.
    (E.PRIMARY, "", "", None),
    (E.PRIMARY, X.HARDSHIP_AREA, DOC, None),
    (E.PRIMARY, X.HARDSHIP_AREA, "", "education_exemption"),
    (E.PRIMARY, X.LITERACY, DOC, None),
    (E.LITERATE, X.LITERACY, DOC, None),
    (E.LITERATE, X.LITERACY, "  ", "education_exemption"),
    (E.LITERATE, X.HARDSHIP_AREA, DOC, "education_exemption_kind"),
    (E.UPPER_SECONDARY, X.HARDSHIP_AREA, DOC, "education_exemption_kind"),
    (E.LOWER_SECONDARY, "", DOC, "education_exemption_kind"),
    ("", "", "", "education"),
    ("12/12", "", "", "education"),  # the old free text is no category
])
def test_each_education_and_exemption_combination(tree, education, kind, document, error_on):
    f = form(tree, education=education, education_exemption_kind=kind,
             education_exemption=document)
    assert f.is_valid() == (error_on is None), f.errors
    if error_on:
        assert list(f.errors) == [error_on]


def test_the_error_sits_next_to_its_field_on_the_page(as_user, users, tree):
    response = as_user(users.secretary).post(reverse("recruitment:candidate_create"), data(
        tree, education=E.PRIMARY, education_exemption_kind=X.HARDSHIP_AREA))
    assert response.status_code == 200
    page = response.content.decode()
    field = page.index('id="id_education_exemption"')
    error = page.index('id="id_education_exemption_error"')
    next_label = page.index('for="id_profession"')
    assert field < error < next_label
    assert "Áp dụng miễn chuẩn học vấn cần ghi văn bản đồng ý (số, ngày)." in page
    assert re.search(r'id="id_education_exemption"[^>]*aria-invalid="true"', page) or \
        re.search(r'aria-invalid="true"[^>]*id="id_education_exemption"', page)
    assert not Candidate.objects.exists()


def test_the_page_offers_the_categories_and_says_whose_background_is_verified(
    as_user, users, tree
):
    page = as_user(users.secretary).get(reverse("recruitment:candidate_create")).content.decode()
    for label in ("Trình độ học vấn (giáo dục phổ thông)", "Trung học cơ sở",
                  "Trung học phổ thông", "Tiểu học", "Trường hợp miễn chuẩn học vấn",
                  "Văn bản đồng ý miễn chuẩn học vấn (số, ngày)", "Đã có vợ/chồng",
                  "Số con đã thành niên (đủ 18 tuổi)",
                  "lý lịch của vợ/chồng và của cha mẹ vợ/chồng sẽ được thẩm tra",
                  "của từng người con đã thành niên sẽ được thẩm tra"):
        assert label in page, label
    assert '<legend>Gia đình (để thẩm tra lý lịch)</legend>' in page
    # Every visible field has a label pointing at it (keyboard and screen-reader use).
    for name in ("education", "education_exemption_kind", "education_exemption", "married",
                 "adult_children"):
        assert f'for="id_{name}"' in page and f'id="id_{name}"' in page
    assert "readmission_consent_ref" not in page


def test_married_and_adult_children_are_kept(as_user, users, tree):
    response = as_user(users.secretary).post(reverse("recruitment:candidate_create"), data(
        tree, married="on", adult_children="2", education=E.PRIMARY,
        education_exemption_kind=X.HARDSHIP_AREA, education_exemption=DOC))
    assert response.status_code == 302
    c = Candidate.objects.get()
    assert (c.married, c.adult_children) == (True, 2)
    assert (c.education, c.education_exemption_kind, c.education_exemption) == (
        E.PRIMARY, X.HARDSHIP_AREA, DOC)


def test_an_empty_number_of_children_is_none_and_a_negative_one_is_refused(tree):
    f = form(tree, adult_children="")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["adult_children"] == 0
    assert list(form(tree, adult_children="-1").errors) == ["adult_children"]


def test_a_17_year_old_is_still_accepted_in_the_pool(as_user, users, tree):
    # 17 years and 11 months on the day they are added: the age is judged at the branch vote.
    response = as_user(users.secretary).post(reverse("recruitment:candidate_create"), data(
        tree, birth_date="10/02/2008", added_date="05/01/2026"))
    assert response.status_code == 302, response.context["form"].errors
    assert Candidate.objects.get().birth_date == date(2008, 2, 10)


WRONG_FORMAT = "Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy, ví dụ 05/09/2025."


@pytest.mark.parametrize(("bad", "message"), [
    ("31/02/2000", "Ngày 31/02/2000 không có thật."),  # the right format, a day that never was
    ("2000-13-01", WRONG_FORMAT),
    ("hôm qua", WRONG_FORMAT),
])
def test_a_bad_date_is_an_error_on_its_field(as_user, users, tree, bad, message):
    response = as_user(users.secretary).post(reverse("recruitment:candidate_create"),
                                             data(tree, birth_date=bad))
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == [message]
    assert not Candidate.objects.exists()
