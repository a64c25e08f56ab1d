"""Rollups kept per organisation and day (`reports.rollups`): `rebuild` recomputes them all
from the movements and dossiers, in one transaction (the table is locked meanwhile: minutes at
national size); `checkpoint` adds the year-end checkpoints of the years just ended (run it on
1 January); `check` compares them with the events and lists what differs (exit status 1 when
anything does)."""
import time

from django.core.management.base import BaseCommand, CommandError

from recruitment.rules import today
from reports import rollups


class Command(BaseCommand):
    help = ("Dựng lại (rebuild), ghi mốc cuối năm (checkpoint) hoặc đối chiếu (check) số liệu "
            "tổng hợp với dữ liệu gốc.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "checkpoint", "check"])
        parser.add_argument("--limit", type=int, default=20,
                            help="số dòng khác biệt in ra khi đối chiếu")

    def handle(self, *args, action, limit, **options):
        started = time.monotonic()
        if action == "rebuild":
            rows = rollups.rebuild(today())
            self.stdout.write(f"Đã dựng lại {rows:,} dòng số liệu tổng hợp trong "
                              f"{time.monotonic() - started:.1f} giây.".replace(",", "."))
            return
        if action == "checkpoint":
            rows = rollups.checkpoint(today())
            self.stdout.write(f"Đã ghi {rows} mốc số đảng viên cuối năm.")
            return
        count, first = rollups.differences(limit=limit)
        if not count:
            self.stdout.write(f"Số liệu tổng hợp khớp với dữ liệu gốc "
                              f"({time.monotonic() - started:.1f} giây).")
            return
        for d in first:
            self.stdout.write(f"tổ chức {d.organisation_id} · {d.metric} {d.item} · "
                              f"{d.day:%d/%m/%Y}: đang ghi {d.stored}, đúng là {d.expected}")
        raise CommandError(f"{count} dòng số liệu tổng hợp khác dữ liệu gốc; chạy "
                           "'manage.py rollups rebuild' để dựng lại.")
