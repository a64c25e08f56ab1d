"""No English left where a user reads: breadcrumbs, file names, the admin, the messages."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_breadcrumbs_are_named_in_vietnamese(as_user, users, tree):
    page = as_user(users.admin).get(
        reverse("members:organisation_detail", args=[tree.gc1.code])).content.decode()
    assert 'aria-label="Đường dẫn"' in page
    assert 'aria-label="breadcrumb"' not in page


def test_no_template_labels_a_breadcrumb_in_english():
    templates = Path(settings.BASE_DIR) / "templates"
    found = [str(p) for p in templates.rglob("*.html")
             if 'aria-label="breadcrumb"' in p.read_text(encoding="utf-8")]
    assert found == []


def test_the_template_and_the_export_have_vietnamese_file_names(as_user, users, tree,
                                                                settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(users.admin)
    template = client.get(reverse("members:import_template", args=["candidates"]))
    assert template["Content-Disposition"] == 'attachment; filename="mau-nhap-quan-chung.xlsx"'
    from django.utils import timezone

    export = client.get("/export/candidates.csv")
    day = timezone.localdate().strftime("%d-%m-%Y")
    assert export["Content-Disposition"] == (
        f'attachment; filename="danh-sach-quan-chung-{day}.csv"')


def test_the_admin_names_the_task_results_in_vietnamese(as_user, users):
    page = as_user(users.admin).get(reverse("admin:index")).content.decode()
    assert "Kết quả tác vụ nền" in page and "Tác vụ nền" in page
    assert "Task Results" not in page and "Tasks Database Backend" not in page


def test_a_message_keeps_its_bullet_inside_its_box():
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text(encoding="utf-8")
    rule = re.search(r"\.messages li \{([^}]*)\}", css).group(1)
    assert "list-style: none" in rule


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_class_with_nobody_passed_says_so_instead_of_printing_an_empty_list(
        as_user, users, tree, fmt):
    from tests.recruitment.test_training import open_class

    klass = open_class(users, tree.root)
    client = as_user(users.department)
    response = client.get(reverse(f"recruitment:class_certificates_{fmt}", args=[klass.pk]))
    assert response.status_code == 302
    assert response.url == reverse("recruitment:class_detail", args=[klass.pk])
    page = client.get(response.url).content.decode()
    assert "Lớp chưa có học viên nào đạt nên chưa có giấy chứng nhận nào để in." in page
