"""Old free text read into the statistics forms' categories: each known way of writing a
qualification or an occupation lands in its category, text that says nothing sure lands in
none, and the frozen copy the data migrations use reads every text the same way."""
import importlib

import pytest

from members.categories import bare_qualification, occupation_group, qualification_level

QUALIFICATIONS = [
    ("Cử nhân Luật", "university"), ("Kỹ sư", "university"), ("Bác sĩ", "university"),
    ("Đại học", "university"), ("ĐH", "university"), ("ĐH Sư phạm", "university"),
    ("Thạc sĩ", "master"), ("ThS Kinh tế", "master"), ("Kỹ sư, Thạc sĩ QLKT", "master"),
    ("Tiến sĩ", "doctor"), ("TS", "doctor"),
    ("Cao đẳng", "college"), ("CĐ", "college"),
    ("Trung cấp", "intermediate"), ("TC Kế toán", "intermediate"),
    ("Dược sĩ trung cấp", "intermediate"), ("Y sĩ", "intermediate"),
    ("Sơ cấp", "elementary"), ("Công nhân kỹ thuật", "elementary"),
    ("Chưa qua đào tạo", "none"),
    ("university", "university"), ("Sơ cấp, công nhân kỹ thuật", "elementary"),
    ("Cử nhân, đang học thạc sĩ", "university"),
]
NO_QUALIFICATION = ["", "12/12", "Kỹ thuật viên", "Trung cấp lý luận chính trị", "Công nhân",
                    "Giáo viên"]
OCCUPATIONS = [
    ("Giáo viên", "civil_servant"), ("Viên chức", "civil_servant"),
    ("Công chức", "civil_servant"), ("Cán bộ", "civil_servant"),
    ("Cán bộ UBND xã", "civil_servant"),
    ("Công nhân", "worker"), ("Công nhân may", "worker"),
    ("Nông dân", "farmer"), ("Làm ruộng", "farmer"),
    ("Học sinh", "student"), ("Sinh viên", "student"),
    ("Bộ đội", "army"), ("Quân nhân", "army"), ("Công an", "police"),
    ("Chủ doanh nghiệp", "business_owner"),
    ("Nhân viên công ty", "employee"), ("Kế toán Công ty TNHH An Phát", "employee"),
    ("Cán bộ công ty", "employee"), ("Nhân viên Công ty Tự Do", "employee"),
    ("Tự do", "other"), ("Khác", "other"), ("student", "student"),
]
NO_OCCUPATION = ["", "Kế toán", "Nhân viên", "Kỹ sư", "Công nhân viên"]


@pytest.mark.parametrize("text, level", QUALIFICATIONS)
def test_a_known_way_of_writing_a_qualification_lands_in_its_category(text, level):
    assert qualification_level(text) == level


@pytest.mark.parametrize("text", NO_QUALIFICATION)
def test_text_naming_no_qualification_for_sure_lands_in_none(text):
    assert qualification_level(text) is None


@pytest.mark.parametrize("text, group", OCCUPATIONS)
def test_a_known_way_of_writing_an_occupation_lands_in_its_group(text, group):
    assert occupation_group(text) == group


@pytest.mark.parametrize("text", NO_OCCUPATION)
def test_text_naming_no_occupation_for_sure_lands_in_none(text):
    assert occupation_group(text) is None


def test_only_a_categorys_own_name_is_a_bare_qualification():
    assert all(bare_qualification(t) for t in ("Đại học", "ĐH", "ThS", "university", "Tiến sĩ"))
    assert not any(bare_qualification(t) for t in ("Cử nhân Luật", "Kỹ sư", "ThS Kinh tế"))


def test_the_migrations_frozen_copy_reads_every_text_as_the_app_does():
    frozen = importlib.import_module("members.migrations.0008_qualification_from_text")
    for text, _level in QUALIFICATIONS:
        assert frozen.qualification_level(text) == qualification_level(text), text
        assert frozen.bare_qualification(text) == bare_qualification(text), text
    for text in NO_QUALIFICATION:
        assert frozen.qualification_level(text) is None, text
    for text, _group in OCCUPATIONS:
        assert frozen.occupation_group(text) == occupation_group(text), text
    for text in NO_OCCUPATION:
        assert frozen.occupation_group(text) is None, text


@pytest.mark.django_db
def test_the_data_migration_fills_the_category_and_keeps_only_words_that_say_more(tree):
    from members.models import Member
    from tests.factories import MemberFactory

    frozen = importlib.import_module("members.migrations.0008_qualification_from_text")
    texts = {"law": "Cử nhân Luật", "bare": "Đại học", "unknown": "Kỹ thuật viên"}
    made = {key: MemberFactory(organisation=tree.b1, profession=text)
            for key, text in texts.items()}
    chosen = MemberFactory(organisation=tree.b1, profession="Cử nhân", qualification="master")
    frozen.fill(Member, text_field="profession", category_field="qualification",
                read=frozen.qualification_level, bare=frozen.bare_qualification)
    read = {key: Member.objects.values_list("qualification", "profession").get(pk=m.pk)
            for key, m in made.items()}
    assert read == {"law": ("university", "Cử nhân Luật"), "bare": ("university", ""),
                    "unknown": ("", "Kỹ thuật viên")}
    chosen.refresh_from_db()
    assert (chosen.qualification, chosen.profession) == ("master", "Cử nhân")  # left alone


def test_the_member_page_shows_the_categories_by_their_labels(as_user, users, tree):
    from django.urls import reverse

    from tests.factories import MemberFactory

    m = MemberFactory(organisation=tree.b1, education="upper_secondary",
                      qualification="university", profession="Cử nhân Luật")
    page = as_user(users.department).get(
        reverse("members:member_detail", args=[m.pk])).content.decode()
    assert "Trung học phổ thông" in page and "Đại học (Cử nhân Luật)" in page
