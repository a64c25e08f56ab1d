"""Compute ahead the insight of every large scope (reports.insight.snapshots): the four views
for the current term and the current year of each organisation with more branches than a
page computes while it loads. Run each night by deploy/insight-snapshots.timer, so the first
leader to open a province's insight in the morning reads it at once."""
import time

from django.core.management.base import BaseCommand, CommandError

from members.models import BRANCH_KINDS, Organisation
from recruitment.rules import today
from reports import periods
from reports.insight import snapshots


class Command(BaseCommand):
    help = "Tính trước số liệu phân tích của các tổ chức lớn (tỉnh, toàn quốc) cho ngày hôm nay."

    def add_arguments(self, parser):
        parser.add_argument("--code", action="append", default=[],
                            help="chỉ tính cho tổ chức có mã này (lặp lại được)")

    def handle(self, *args, code, **options):
        day = today()
        if code:
            organisations = list(Organisation.objects.filter(code__in=code))
            missing = set(code) - {o.code for o in organisations}
            if missing:
                raise CommandError(f"Không có tổ chức mã {', '.join(sorted(missing))}.")
        else:
            organisations = [o for o in Organisation.objects.exclude(kind__in=BRANCH_KINDS)
                             .filter(dissolved_on__isnull=True).order_by("path")
                             if snapshots.is_large(o)]
        done = 0
        for organisation in organisations:
            for label in (periods.current_term(organisation, day).label, str(day.year)):
                scope = snapshots.scope_for(organisation, label, day)
                for view in snapshots.MODULES:
                    started = time.monotonic()
                    snapshots.store(view, scope, {})
                    done += 1
                    self.stdout.write(f"{organisation.code} {label} {view}: "
                                      f"{time.monotonic() - started:.1f} giây")
        self.stdout.write(f"Đã tính {done} phần phân tích cho {len(organisations)} tổ chức.")
