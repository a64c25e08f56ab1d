"""Leadership's home page is the dashboard: this year and term against target, the pipeline,
overdue items and the current reports one click away."""
import pytest
from django.urls import reverse

from recruitment.rules import today
from reports import periods
from reports.models import Target

pytestmark = pytest.mark.django_db


def test_a_leader_lands_on_the_dashboard_with_the_current_reports(as_user, users, tree):
    now = today()
    Target.objects.create(organisation=tree.root, year=now.year, admissions=4)
    term = periods.current_term(tree.root, now).label
    page = as_user(users.leader).get(reverse("home")).content.decode()
    assert f"kết nạp năm {now.year}" in page and "0,0 % chỉ tiêu 4" in page
    assert f"Tải báo cáo nhiệm kỳ {term} (PDF)" in page
    assert reverse("reports:download", args=["DBK", term, "pdf"]) in page
    assert f"Tải báo cáo năm {now.year} (XLSX)" in page
    assert "Không có hồ sơ quá hạn." in page


def test_the_dashboard_lists_overdue_candidates_in_the_leaders_scope(as_user, users, known):
    known.s3.due_date = today().replace(year=today().year - 1)
    known.s3.save()
    page = as_user(users.leader).get(reverse("home")).content.decode()
    assert "Quần Chúng Ba" in page
    assert "Quần Chúng Nơi Khác" not in page


def test_other_roles_keep_their_home_page(as_user, users, tree):
    page = as_user(users.secretary).get(reverse("home")).content.decode()
    assert "Tải báo cáo nhiệm kỳ" not in page
    assert "Bí thư chi bộ" in page


def test_every_signed_in_role_sees_the_reports_in_the_navigation(as_user, users, tree):
    page = as_user(users.secretary).get(reverse("home")).content.decode()
    assert f'<a href="{reverse("reports:index")}">Báo cáo</a>' in page
