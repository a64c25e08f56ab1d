"""`python manage.py term_report --org CODE (--term 2020-2025 | --year 2024)
[--format pdf|xlsx] --out FILE`: the same report the pages give, written to a file."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.models import Organisation
from reports import documents, periods
from reports.selectors import compute_figures


class Command(BaseCommand):
    help = "Xuất báo cáo phát triển đảng viên của một tổ chức theo nhiệm kỳ hoặc theo năm."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="Mã tổ chức đảng, ví dụ DBK.")
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--term", help="Nhiệm kỳ, ví dụ 2020-2025.")
        when.add_argument("--year", type=int, help="Năm, ví dụ 2024.")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default=None,
                            help="pdf hoặc xlsx; mặc định theo đuôi tệp --out, không có thì pdf.")
        parser.add_argument("--out", required=True, help="Tệp kết quả.")

    def handle(self, *args, org, term, year, format, out, **options):
        organisation = Organisation.objects.select_related("parent").filter(code=org).first()
        if organisation is None:
            raise CommandError(f"Không có tổ chức đảng mang mã {org}.")
        try:
            period = periods.resolve(organisation, term or str(year))
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        path = Path(out)
        fmt = format or ("xlsx" if path.suffix.lower() == ".xlsx" else "pdf")
        figures = compute_figures(organisation, period)
        rendered = documents.render(figures, fmt)
        path.write_bytes(rendered.content)
        self.stdout.write(self.style.SUCCESS(
            f"Đã ghi {path} ({len(rendered.content):,} byte): {organisation.name}, "
            f"{period.title}, kết nạp {figures.admitted} đảng viên."))
