"""Entry that forgives: what a secretary sees on the candidate form and the step forms when
the input is wrong or unusual: each message in Vietnamese, next to the field it is about."""
from datetime import date, timedelta

import pytest
from django.urls import reverse

from members.fields import real_day
from recruitment import rules
from recruitment.models import Candidate

from .conftest import make_candidate


def url(name, *args):
    return reverse(f"recruitment:{name}", args=args)


def person(tree, **fields):
    values = {"full_name": "Đỗ Minh Khôi", "birth_date": "03/02/2000", "sex": "male",
              "ethnicity": "Kinh", "religion": "Không", "education": "upper_secondary",
              "source": "youth_union", "youth_union_member": "on", "organisation": tree.b1.pk,
              "added_date": "05/01/2026", "plan_year": "2026"}
    values.update(fields)
    return values


def post_person(as_user, users, tree, **fields):
    return as_user(users.secretary).post(url("candidate_create"), person(tree, **fields))


def errors_on(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_a_seventeen_year_old_is_kept_in_the_pool_with_the_day_they_turn_18(
        as_user, users, tree):
    # Entered with another mistake, the form comes back and says it next to the birth date.
    response = post_person(as_user, users, tree, birth_date="20/06/2008", plan_year="2019")
    warnings = response.context["form"].warnings["birth_date"]
    assert warnings[0].startswith("Người này chưa đủ 18 tuổi: đủ 18 tuổi ngày 20/06/2026.")
    assert 'id="id_birth_date_warning"' in response.content.decode()
    assert "birth_date" not in response.context["form"].errors
    # Without other mistakes the person is saved: AGE_MIN is judged at the branch vote.
    response = post_person(as_user, users, tree, birth_date="20/06/2008")
    assert response.status_code == 302
    assert Candidate.objects.filter(birth_date=date(2008, 6, 20)).exists()
    # …and the saved record's page says it, once.
    page = as_user(users.secretary).get(response.url).content.decode()
    assert page.count("Người này chưa đủ 18 tuổi: đủ 18 tuổi ngày 20/06/2026.") == 1


def test_an_adult_gets_no_age_warning(as_user, users, tree):
    response = post_person(as_user, users, tree, plan_year="2019")
    assert response.context["form"].warnings == {}


def test_a_birth_date_in_the_future_is_an_error_on_the_birth_date(as_user, users, tree):
    tomorrow = rules.today() + timedelta(days=1)
    response = post_person(as_user, users, tree, birth_date=f"{tomorrow:%d/%m/%Y}")
    assert response.status_code == 200
    assert errors_on(response, "birth_date") == [
        f"Ngày sinh {tomorrow:%d/%m/%Y} là ngày trong tương lai."]
    assert errors_on(response, "added_date") == []


def test_a_day_that_does_not_exist_is_told_so_not_as_a_wrong_format(as_user, users, tree):
    response = post_person(as_user, users, tree, birth_date="31/02/2000")
    assert errors_on(response, "birth_date") == ["Ngày 31/02/2000 không có thật."]


def test_a_wrong_format_still_says_the_format(as_user, users, tree):
    response = post_person(as_user, users, tree, birth_date="2000/02/31")
    assert "dd/mm/yyyy" in errors_on(response, "birth_date")[0]


def test_the_form_and_the_import_share_the_words_for_a_day_that_does_not_exist():
    with pytest.raises(ValueError, match="^Ngày 30/02/2024 không có thật.$"):
        real_day(30, 2, 2024, "30/02/2024")
    assert real_day(29, 2, 2024, "29/02/2024") == date(2024, 2, 29)


def test_a_long_name_is_refused_with_the_limit_and_the_length_typed(as_user, users, tree):
    name = "Nguyễn " * 30 + "A"  # 211 characters
    assert len(name) == 211
    page = as_user(users.secretary).get(url("candidate_create")).content.decode()
    assert 'maxlength="120"' not in page.split('name="full_name"')[1].split(">")[0]
    response = post_person(as_user, users, tree, full_name=name)
    assert errors_on(response, "full_name") == [
        "Họ và tên dài tối đa 120 ký tự; đã gõ 211 ký tự."]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("year", ["2019", "2025", "2032", "3000"])
def test_a_plan_year_outside_the_pool_year_and_five_after_is_refused(as_user, users, tree,
                                                                      year):
    response = post_person(as_user, users, tree, plan_year=year)
    assert errors_on(response, "plan_year") == [
        f"Năm dự kiến kết nạp phải từ 2026 (năm vào danh sách dự nguồn) đến 2031; "
        f"đã ghi {year}."]


@pytest.mark.parametrize("year", ["2026", "2031"])
def test_a_plan_year_within_five_years_is_accepted(as_user, users, tree, year):
    assert post_person(as_user, users, tree, plan_year=year).status_code == 302


def test_a_pool_date_in_the_future_shows_the_rule_by_name_on_that_date(as_user, users, tree):
    tomorrow = rules.today() + timedelta(days=1)
    response = post_person(as_user, users, tree, added_date=f"{tomorrow:%d/%m/%Y}",
                           plan_year=str(tomorrow.year))
    [error] = errors_on(response, "added_date")
    assert error.startswith("Ngày của văn bản không được sau ngày hôm nay: "
                            f"Ngày {tomorrow:%d/%m/%Y} là ngày trong tương lai.")
    assert '<small class="muted">(Nguyên tắc ghi hồ sơ · DATE_NOT_FUTURE)</small>' in error
    assert not error.startswith("[")


@pytest.fixture
def candidate(users, tree, branch_members):
    return make_candidate(users, tree.b1)


def test_a_step_date_in_the_future_shows_the_rule_by_name_next_to_the_date(
        as_user, users, candidate, branch_members):
    tomorrow = rules.today() + timedelta(days=1)
    response = as_user(users.secretary).post(
        url("candidate_action", candidate.pk, "assign_helper"),
        {"event_date": f"{tomorrow:%d/%m/%Y}", "helper": branch_members.officials[0].pk})
    assert response.status_code == 400
    [error] = errors_on(response, "event_date")
    assert error.startswith("Ngày của văn bản không được sau ngày hôm nay: Ngày "
                            f"{tomorrow:%d/%m/%Y} là ngày trong tương lai.")
    assert response.context["form"].non_field_errors() == []
    body = response.content.decode()
    assert "[DATE_NOT_FUTURE]" not in body
    assert '<small class="muted">(Nguyên tắc ghi hồ sơ · DATE_NOT_FUTURE)</small>' in body


def test_a_step_dated_before_the_previous_one_says_so_next_to_the_date(
        as_user, users, candidate, branch_members):
    response = as_user(users.secretary).post(
        url("candidate_action", candidate.pk, "assign_helper"),
        {"event_date": "05/01/2024", "helper": branch_members.officials[0].pk})
    [error] = errors_on(response, "event_date")
    assert error.startswith("Các bước theo đúng trình tự thời gian: Ngày 05/01/2024 trước "
                            "ngày của bước trước (10/01/2024).")


def test_the_rules_a_step_checks_are_listed_by_name_with_the_code_in_small_print(
        as_user, users, candidate):
    body = as_user(users.secretary).get(
        url("candidate_action", candidate.pk, "assign_helper")).content.decode()
    title = rules.RULES["HELPER_OFFICIAL"].title
    assert f"<li>{title} <small class=\"muted\">(" in body
    assert "<strong>HELPER_OFFICIAL</strong>" not in body
