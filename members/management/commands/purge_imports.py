"""`manage.py purge_imports [--days N]`: delete the uploaded import files (full of CCCD
numbers and personal records) once their job has been finished for IMPORT_RETENTION_DAYS; the
job and its result stay. Jobs left running by a dead worker are settled first. Run daily
(deploy/purge-imports.timer)."""
from django.core.management.base import BaseCommand, CommandError

from members import importing


class Command(BaseCommand):
    help = ("Xóa các tệp nhập dữ liệu đã xử lý xong quá thời hạn lưu giữ (giữ lại lượt nhập "
            "và kết quả); đánh dấu lỗi các lượt nhập bị gián đoạn.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Số ngày lưu giữ (mặc định: IMPORT_RETENTION_DAYS).")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("Số ngày lưu giữ phải từ 0 trở lên.")
        days = importing.retention_days() if days is None else days
        stale = importing.fail_stale_jobs()
        if stale:
            self.stdout.write(f"Đã đánh dấu lỗi {stale} lượt nhập bị gián đoạn.")
        purged = importing.purge_files(days)
        self.stdout.write(f"Đã xóa tệp của {purged} lượt nhập đã xong quá {days} ngày.")
