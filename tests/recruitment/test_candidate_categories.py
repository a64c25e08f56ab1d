"""The candidate form asks the qualification and the occupation as the statistics forms count
them (selects) beside the person's own words; the dossier page shows both."""
from django.urls import reverse

from recruitment.models import Candidate

from .test_candidate_entry import data


def test_the_form_offers_the_categories_as_selects_beside_the_free_text(as_user, users, tree):
    page = as_user(users.secretary).get(reverse("recruitment:candidate_create")).content.decode()
    for name in ("qualification", "occupation_group"):
        assert f'<select name="{name}"' in page and f'for="id_{name}"' in page
    for name in ("profession", "occupation"):
        assert f'<input type="text" name="{name}"' in page
    assert (page.index('id="id_qualification"') < page.index('id="id_profession"')
            < page.index('id="id_occupation_group"') < page.index('id="id_occupation"'))
    for label in ("Trình độ chuyên môn", "Chuyên ngành, văn bằng", "Thạc sĩ",
                  "Cán bộ, công chức, viên chức", "Nghề nghiệp, chức vụ (ghi cụ thể)"):
        assert label in page, label


def test_the_categories_are_kept_and_shown_on_the_dossier(as_user, users, tree):
    client = as_user(users.secretary)
    response = client.post(reverse("recruitment:candidate_create"), data(
        tree, qualification="university", profession="Cử nhân Sư phạm Toán",
        occupation_group="civil_servant", occupation="Giáo viên Trường THCS Hòa Bình"))
    assert response.status_code == 302
    c = Candidate.objects.get()
    assert (c.qualification, c.occupation_group) == ("university", "civil_servant")
    page = client.get(reverse("recruitment:candidate_detail", args=[c.pk])).content.decode()
    assert "Đại học (Cử nhân Sư phạm Toán)" in page
    assert "Cán bộ, công chức, viên chức (Giáo viên Trường THCS Hòa Bình)" in page
