"""Back-test of the admission forecast: `manage.py insight_backtest <code> <term>` makes the
forecast of the term at its middle day, from the events dated up to then, and prints it against
the admissions the reports count for the whole term."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.models import Organisation
from reports.insight.forecast import backtest
from reports.templatetags.documents import vn_number, vn_percent


class Command(BaseCommand):
    help = "Dự báo kết nạp lập giữa một nhiệm kỳ đã qua, so với thực tế."

    def add_arguments(self, parser):
        parser.add_argument("code", help="mã tổ chức đảng, ví dụ T01")
        parser.add_argument("term", help="nhiệm kỳ, ví dụ 2020-2025")

    def handle(self, *args, code, term, **options):
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise CommandError(f"Không có tổ chức mã {code}.")
        try:
            b = backtest(organisation, term)
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        h = b.figures.main
        relative = "—" if b.relative_percent is None else vn_percent(b.relative_percent)
        self.stdout.write(
            f"{organisation.name} ({organisation.code}), nhiệm kỳ {b.label}\n"
            f"Dự báo lập ngày {b.as_of:%d/%m/%Y}: {vn_number(b.forecast, 1)} "
            f"(khoảng {vn_number(b.low)}–{vn_number(b.high)}) = đã kết nạp "
            f"{vn_number(h.admitted)} + hồ sơ đang có {vn_number(h.pipeline, 1)} "
            f"(trên {vn_number(h.open)}) + nguồn mới {vn_number(h.inflow, 1)}\n"
            f"Ngày đối chiếu: {', '.join(f'{r:%d/%m/%Y}' for r in h.references) or '—'}"
            f"{' (cắt tại ngày dự báo)' if h.truncated else ''}\n"
            f"Thực tế: {vn_number(b.actual)}; sai số {vn_number(b.error, 1)} ({relative})")
