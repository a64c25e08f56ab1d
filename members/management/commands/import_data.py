"""`manage.py import_data <kind> <file> [--dry-run] [--as <username>] [--legacy-records]`: the
web import from the command line. Exit code 0 only when the file was applied (or would be,
with --dry-run); every error on stderr as `dòng N, cột X: lý do`. `--legacy-records` is the
administrator's one-off load of old paper records (hard rules broken only warn), refused
with `--as` someone who is not an administrator."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from members import importing


class Command(BaseCommand):
    help = ("Nhập dữ liệu từ tệp XLSX hoặc CSV theo mẫu (tổ chức, đảng viên, quần chúng, lớp, "
            "học viên, chỉ tiêu): mọi dòng hoặc không dòng nào.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=importing.available_kinds())
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true",
                            help="Chỉ kiểm tra (thử ghi rồi hủy), không ghi gì.")
        parser.add_argument("--as", dest="username", metavar="USERNAME",
                            help="Nhập với quyền và phạm vi của người dùng này (mặc định: "
                                 "toàn quyền, người thực hiện để trống).")
        parser.add_argument("--legacy-records", action="store_true",
                            help="Nạp hồ sơ giấy cũ: bước vi phạm quy tắc bắt buộc chỉ ghi cảnh "
                                 "báo thay vì bị từ chối (chỉ quản trị hệ thống).")

    def handle(self, *args, kind, file, dry_run=False, username=None, legacy_records=False,
               **options):
        user = None
        if username:
            try:
                user = get_user_model().objects.get(username=username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Không có người dùng “{username}”.") from None
            if kind not in importing.kinds_for(user):
                raise CommandError(f"Người dùng “{username}” không có quyền nhập loại dữ liệu "
                                   f"này.")
        if legacy_records and not importing.may_load_legacy_records(user):
            raise CommandError(f"Chỉ quản trị hệ thống được nạp hồ sơ giấy cũ; “{username}” "
                               f"không phải quản trị hệ thống.")
        try:
            source = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as err:
            raise CommandError(f"Không mở được tệp {file}: {err.strerror}.") from None
        with source:
            outcome = importing.run(kind, source, user=user, commit=not dry_run,
                                    legacy=legacy_records)
        for warning in outcome.warnings:
            self.stdout.write(f"Cảnh báo — {warning}")
        if outcome.errors:
            for problem in outcome.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"Tệp không được nhập: {len(outcome.errors)} lỗi; không dòng nào "
                               f"được ghi.", returncode=1)
        verb = "Sẽ nhập" if dry_run else "Đã nhập"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {outcome.rows} dòng: {outcome.created} thêm mới, {outcome.updated} cập "
            f"nhật, {outcome.unchanged} giữ nguyên, {len(outcome.warnings)} cảnh báo."))
