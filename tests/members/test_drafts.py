"""Drafts of long forms: kept per user on the server, read back only by their user, dropped when
the form is saved or the draft discarded, refused when too large."""
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Draft
from members.models.drafts import MAX_DRAFT_BYTES, MAX_DRAFTS_PER_USER
from tests.recruitment.conftest import branch_members, candidate  # noqa: F401  (fixtures)

FORM = reverse("recruitment:candidate_create")
DRAFTS = reverse("members:draft") + "?path=" + FORM
DISCARD = reverse("members:draft_discard") + "?path=" + FORM


def typed(tree, **fields):
    """What the candidate form holds after a secretary typed a whole person."""
    values = {"full_name": "Lò Văn Páo", "birth_date": "03/02/1990", "sex": "male",
              "ethnicity": "Thái", "religion": "Không", "citizen_id": "011090001234",
              "education": "upper_secondary", "source": "other", "organisation": tree.b1.pk,
              "added_date": "05/01/2026", "plan_year": "2026", "adult_children": "0"}
    values.update(fields)
    return values


def test_a_saved_draft_is_read_back_with_the_time_it_was_saved(as_user, users):
    client = as_user(users.secretary)
    saved = client.post(DRAFTS, {"full_name": "Lò Văn Páo", "birth_date": "03/02/1990",
                                 "csrfmiddlewaretoken": "bí-mật"})
    assert saved.status_code == 200
    assert saved.json()["message"].startswith("Đã lưu nháp lúc ")

    response = client.get(DRAFTS)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["data"] == {"full_name": ["Lò Văn Páo"], "birth_date": ["03/02/1990"]}
    draft = Draft.objects.get()
    assert body["message"] == ("Đã khôi phục bản nháp lưu lúc "
                               f"{draft.saved_at.astimezone():%H:%M} ngày "
                               f"{draft.saved_at.astimezone():%d/%m/%Y}.")
    assert body["discard_label"] == "Bỏ bản nháp"


def test_the_csrf_token_is_never_kept_and_lists_keep_every_value(as_user, users):
    client = as_user(users.secretary)
    client.post(DRAFTS, {"csrfmiddlewaretoken": "bí-mật", "languages": ["en", "fr"]})
    assert Draft.objects.get().data == {"languages": ["en", "fr"]}


def test_saving_again_replaces_the_draft_of_that_form(as_user, users):
    client = as_user(users.secretary)
    client.post(DRAFTS, {"full_name": "Lò Văn"})
    client.post(DRAFTS, {"full_name": "Lò Văn Páo"})
    assert Draft.objects.get().data == {"full_name": ["Lò Văn Páo"]}


def test_a_form_with_no_draft_answers_an_empty_object(as_user, users):
    response = as_user(users.secretary).get(DRAFTS)
    assert response.status_code == 200
    assert response.json() == {}


def test_another_user_can_neither_read_nor_discard_the_draft(client, users):
    client.force_login(users.secretary)
    client.post(DRAFTS, {"full_name": "Lò Văn Páo"})

    other = Client()
    other.force_login(users.office)
    assert other.get(DRAFTS).json() == {}
    other.post(DISCARD)
    assert Draft.objects.filter(user=users.secretary).exists()

    other.post(DRAFTS, {"full_name": "Người khác"})
    assert client.get(DRAFTS).json()["data"] == {"full_name": ["Lò Văn Páo"]}


def test_a_signed_out_visitor_is_sent_to_the_login_page(client, users):
    for response in (client.get(DRAFTS), client.post(DRAFTS, {"full_name": "X"}),
                     client.post(DISCARD)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Draft.objects.exists()


def test_a_user_without_a_role_keeps_no_draft(as_user, users):
    client = as_user(users.nobody)
    for response in (client.get(DRAFTS), client.post(DRAFTS, {"full_name": "X"}),
                     client.post(DISCARD)):
        assert response.status_code == 403
    assert not Draft.objects.exists()


def test_discarding_deletes_the_draft(as_user, users):
    client = as_user(users.secretary)
    client.post(DRAFTS, {"full_name": "Lò Văn Páo"})
    response = client.post(DISCARD)
    assert response.status_code == 200
    assert response.json()["message"] == "Đã bỏ bản nháp."
    assert not Draft.objects.exists()
    assert client.get(DRAFTS).json() == {}


def test_a_draft_over_the_limit_is_refused_with_a_vietnamese_message(as_user, users):
    client = as_user(users.secretary)
    response = client.post(DRAFTS, {"note": "ạ" * (MAX_DRAFT_BYTES // 2)})
    assert response.status_code == 413
    assert response.json()["error"] == ("Bản nháp quá lớn (quá 64 KB) nên không được lưu; hãy "
                                        "lưu biểu mẫu.")
    assert not Draft.objects.exists()


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(as_user, users):
    client = as_user(users.secretary)
    response = client.post(DRAFTS, {"note": "a" * (9 * MAX_DRAFT_BYTES)})
    assert response.status_code == 413
    assert not Draft.objects.exists()


@pytest.mark.parametrize("path", ["", "candidates/new/", "https://ví-dụ.vn/", "/" + "a" * 300])
def test_a_path_that_is_no_page_of_the_site_is_refused(as_user, users, path):
    client = as_user(users.secretary)
    query = "?" + urlencode({"path": path})
    response = client.post(reverse("members:draft") + query, {"full_name": "X"})
    assert response.status_code == 400
    assert response.json()["error"] == "Địa chỉ biểu mẫu không hợp lệ."
    assert client.get(reverse("members:draft") + query).status_code == 400
    assert client.post(reverse("members:draft_discard") + query).status_code == 400
    assert client.post(reverse("members:draft")).status_code == 400  # no path at all
    assert not Draft.objects.exists()


def test_a_path_with_vietnamese_letters_is_kept_as_django_reads_it(as_user, users):
    client = as_user(users.secretary)
    query = "?" + urlencode({"path": "/tổ-chức/"})
    client.post(reverse("members:draft") + query, {"full_name": "X"})
    assert Draft.objects.get().path == "/tổ-chức/"
    assert client.get(reverse("members:draft") + query).json()["data"] == {"full_name": ["X"]}


def test_wrong_methods_are_refused(as_user, users):
    client = as_user(users.secretary)
    assert client.put(DRAFTS).status_code == 405
    assert client.delete(DRAFTS).status_code == 405
    assert client.get(DISCARD).status_code == 405


def test_saving_and_discarding_need_the_csrf_token(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.secretary)
    assert client.post(DRAFTS, {"full_name": "X"}).status_code == 403
    assert not Draft.objects.exists()
    Draft.objects.create(user=users.secretary, path=FORM, data={})
    assert client.post(DISCARD).status_code == 403
    assert Draft.objects.exists()


def test_a_user_keeps_a_limited_number_of_drafts_the_oldest_going_first(as_user, users):
    client = as_user(users.secretary)
    for n in range(MAX_DRAFTS_PER_USER + 1):
        client.post(reverse("members:draft") + f"?path=/form/{n}/", {"n": str(n)})
    paths = set(Draft.objects.values_list("path", flat=True))
    assert len(paths) == MAX_DRAFTS_PER_USER
    assert "/form/0/" not in paths and f"/form/{MAX_DRAFTS_PER_USER}/" in paths


def test_saving_the_form_deletes_its_draft(as_user, users, tree):
    client = as_user(users.secretary)
    client.post(DRAFTS, {"full_name": "Lò Văn Páo"})
    client.post(reverse("members:draft") + "?path=/another/form/", {"x": "1"})

    response = client.post(FORM, typed(tree))
    assert response.status_code == 302
    assert client.get(DRAFTS).json() == {}
    assert Draft.objects.filter(path="/another/form/").exists()


def test_a_refused_form_keeps_its_draft(as_user, users, tree):
    client = as_user(users.secretary)
    client.post(DRAFTS, {"full_name": "Lò Văn Páo"})

    response = client.post(FORM, typed(tree, birth_date="31/02/2000"))
    assert response.status_code in (200, 400)
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get(DRAFTS).json()["data"] == {"full_name": ["Lò Văn Páo"]}


def test_saving_a_form_leaves_the_drafts_of_other_users(client, users, tree):
    Draft.objects.create(user=users.office, path=FORM, data={"full_name": ["Ai đó"]})
    client.force_login(users.secretary)
    assert client.post(FORM, typed(tree)).status_code == 302
    assert Draft.objects.filter(user=users.office).exists()


def test_the_long_forms_ask_for_a_draft(as_user, users):
    page = as_user(users.secretary).get(FORM).content.decode()
    assert f'data-draft="{reverse("members:draft")}"' in page


def test_a_step_form_asks_for_a_draft_and_taking_the_step_deletes_it(
    as_user, users, candidate, branch_members  # noqa: F811
):
    client = as_user(users.secretary)
    step = reverse("recruitment:candidate_action", args=[candidate.pk, "assign_helper"])
    assert f'data-draft="{reverse("members:draft")}"' in client.get(step).content.decode()
    drafts = reverse("members:draft") + "?path=" + step
    client.post(drafts, {"event_date": "01/02/2024"})

    refused = client.post(step, {"event_date": "01/02/2024",
                                 "helper": branch_members.partial_officials[0].pk})
    assert refused.status_code == 400
    assert client.get(drafts).json()["data"] == {"event_date": ["01/02/2024"]}

    taken = client.post(step, {"event_date": "01/02/2024",
                               "helper": branch_members.officials[0].pk})
    assert taken.status_code == 302
    assert client.get(drafts).json() == {}
