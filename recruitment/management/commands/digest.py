"""`manage.py digest`: queue this week's e-mail digest, one background task per user who gets it
(recruitment.digest.recipients); the worker builds and sends each mail, none when nothing is
due. Started by deploy/digest.timer every Monday morning."""
from django.core.management.base import BaseCommand

from recruitment.digest import queue_digests


class Command(BaseCommand):
    help = ("Xếp hàng thư tóm tắt hằng tuần: một việc nền cho mỗi người dùng có địa chỉ thư, "
            "tài khoản đang hoạt động, có vai trò và không tắt thư.")

    def handle(self, *args, **options):
        count = queue_digests()
        self.stdout.write(f"Đã xếp hàng {count} thư tóm tắt.")
