"""Writes the whole dossier of one person for the archive: one PDF (cover, table of contents,
every paper in the order of an admission file) or a ZIP of the Word files.

    python manage.py dossier --candidate 001195012345 --out ho-so.pdf
    python manage.py dossier --candidate 42 --out ho-so.zip
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recruitment.models import Candidate
from recruitment.papers import dossier


def find(key: str) -> Candidate:
    """A candidate by CCCD (12 digits) or by id."""
    key = key.strip()
    query = Candidate.objects.filter(citizen_id=key) if len(key) == 12 else (
        Candidate.objects.filter(pk=int(key)) if key.isdigit() else Candidate.objects.none())
    found = query.select_related("organisation").first()
    if found is None:
        raise CommandError(f"Không tìm thấy hồ sơ có số CCCD hoặc mã “{key}”.")
    return found


class Command(BaseCommand):
    help = "Xuất cả hồ sơ của một người (PDF có mục lục, hoặc ZIP các tệp Word) để lưu trữ."

    def add_arguments(self, parser):
        parser.add_argument("--candidate", required=True, help="Số CCCD hoặc mã hồ sơ")
        parser.add_argument("--out", required=True, help="Tệp ghi ra: .pdf hoặc .zip")

    def handle(self, *args, candidate, out, **options):
        path = Path(out)
        if path.suffix.lower() not in (".pdf", ".zip"):
            raise CommandError("Tệp ghi ra phải là .pdf hoặc .zip.")
        c = find(candidate)
        if not dossier.recorded(c):
            raise CommandError(f"Hồ sơ của {c.full_name} chưa có giấy tờ nào.")
        if path.suffix.lower() == ".pdf":
            content, pages = dossier.dossier_pdf(c)
            what = f"{pages} trang"
        else:
            content = dossier.dossier_zip(c)
            what = f"{len(dossier.recorded(c))} tệp Word"
        path.write_bytes(content)
        self.stdout.write(f"Đã ghi hồ sơ của {c.full_name} ({what}) vào {path}.")
