"""Reading an uploaded spreadsheet for the import: XLSX or CSV (UTF-8, with or without BOM),
within the size limits, as raw rows streamed from the file (never the whole sheet in memory),
then read cell by cell through a resource's columns; a file that cannot be read is refused as
a whole."""
import codecs
import csv
import io
import itertools

from django.conf import settings
from django.utils.translation import gettext as _

from .resources import normalise


def max_upload_mb() -> float:
    return getattr(settings, "IMPORT_MAX_UPLOAD_MB", 20)


def max_upload_bytes() -> int:
    return int(max_upload_mb() * 1024 * 1024)


def too_large(size: int) -> str:
    """The refusal of a file over the limit, sizes written the Vietnamese way (50,0 MB)."""
    return _("Tệp nặng %(size)s MB, vượt giới hạn %(limit)s MB. Hãy chia thành nhiều tệp nhỏ "
             "hơn.") % {"size": f"{size / 1048576:.1f}".replace(".", ","),
                         "limit": f"{max_upload_mb():g}".replace(".", ",")}


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 100_000))


class FileRefused(Exception):
    """The file as a whole cannot be read (size, format, headers); nothing is looked at."""

    def __init__(self, *messages):
        self.messages = [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


XLSX_MAGIC, XLS_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


def _size(source) -> int:
    size = getattr(source, "size", None)
    if size is None:
        position = source.tell()
        source.seek(0, io.SEEK_END)
        size = source.tell()
        source.seek(position)
    return size


def read_table(source):
    """(headers, rows, estimated row count) of the first sheet; rows are (the row's number as
    the spreadsheet shows it, the list of its raw cells), only the rows holding something."""
    size = _size(source)
    if size == 0:
        raise FileRefused(_("Tệp rỗng: không có tiêu đề cột và không có dòng dữ liệu nào."))
    if size > max_upload_bytes():
        raise FileRefused(too_large(size))
    source.seek(0)
    head = source.read(8)
    source.seek(0)
    if head.startswith(XLSX_MAGIC):
        return _read_xlsx(source)
    if head.startswith(XLS_MAGIC):
        raise FileRefused(_("Tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy mở tệp và lưu lại "
                            "dưới dạng .xlsx hoặc CSV UTF-8."))
    return _read_csv(source)


NOT_A_SPREADSHEET = "Tệp không phải bảng tính XLSX hoặc CSV (UTF-8); hãy dùng tệp mẫu."


def _guarded(rows):
    """Rows of a reader; a file that turns out broken half-way is refused, not a crash."""
    try:
        yield from rows
    except FileRefused:
        raise
    except Exception as err:  # csv.Error, a truncated zip member, malformed XML …
        raise FileRefused(_(NOT_A_SPREADSHEET)) from err


def _read_xlsx(source):
    import zipfile

    from openpyxl import load_workbook

    try:
        # A few MB of XLSX can unpack to gigabytes (a "zip bomb"): refuse before reading.
        unpacked = sum(i.file_size for i in zipfile.ZipFile(source).infolist())
        source.seek(0)
    except (zipfile.BadZipFile, OSError) as err:
        raise FileRefused(_(NOT_A_SPREADSHEET)) from err
    if unpacked > 10 * max_upload_bytes():
        raise FileRefused(_("Tệp XLSX quá lớn khi giải nén; hãy chia thành nhiều tệp nhỏ hơn."))
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as err:  # a damaged or foreign zip: openpyxl raises many kinds
        raise FileRefused(_(NOT_A_SPREADSHEET)) from err
    # The used range the file declares is not to be trusted: openpyxl pads every row up to it,
    # and `A1:XFD1048576` costs a million rows of 16,384 cells for one cell present.
    last_row = max_rows() + 1  # the header, then the rows of data
    if (sheet.max_row or 0) > last_row:
        raise FileRefused(too_long(sheet.max_row))
    xml = _CountedXml(sheet)
    rows = _guarded(_present_rows(sheet, last_row, xml))
    first = next(rows, None)
    if first is None:
        raise FileRefused(_("Tệp rỗng: không có tiêu đề cột và không có dòng dữ liệu nào."))
    number, header_cells = first
    if number != 1:  # the header is row 1: what starts lower is data under no header
        rows, header_cells = itertools.chain([first], rows), {}
    # Only the columns with a name are read, so one stray cell in column XFD does not make
    # every row 16,384 cells wide.
    named = sorted(c for c, v in header_cells.items() if normalise(v) != "")
    if len(named) > MAX_COLUMNS:
        raise FileRefused(_("Dòng tiêu đề có %(n)s cột, quá nhiều so với mọi tệp mẫu; hãy dùng "
                            "tệp mẫu.") % {"n": f"{len(named):,}".replace(",", ".")})
    headers = [header_cells[c] for c in named]
    total = max(sheet.max_row - 1, 1) if sheet.max_row else xml.estimate
    return headers, _within(rows, named), total


class _CountedXml:
    """The XML of a sheet as it is read, counting its bytes: a sheet that declares no used
    range (a write-only openpyxl file, as the app's own exports) gets its row count estimated
    from how far the rows read so far went into it."""

    def __init__(self, sheet):
        self.sheet, self.done = sheet, 0
        try:
            self.size = sheet.parent._archive.getinfo(sheet._worksheet_path).file_size
        except (AttributeError, KeyError):
            self.size = 0

    def __enter__(self):
        self.source = self.sheet._get_source()
        return self

    def __exit__(self, *exc):
        self.source.close()

    def read(self, n=-1):
        data = self.source.read(n)
        self.done += len(data)
        return data

    def estimate(self, rows_read: int) -> int:
        """The rows of the whole sheet, judged from `rows_read` so far."""
        if not (self.size and self.done and rows_read):
            return max(rows_read, 1)
        return max(rows_read, rows_read * self.size // self.done)


CSV_BLOCK = 1 << 16


def _read_csv(source):
    """The CSV read as it streams: the text is decoded a block at a time and never held whole
    (a file in another encoding is refused where its first bad byte is met)."""
    head = source.read(CSV_BLOCK)
    if b"\x00" in head:
        raise FileRefused(_(NOT_A_SPREADSHEET))
    lines = _count_lines(source, head)
    source.seek(0)
    text = _decoded_lines(source)
    first_line = next(text, "")
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = _guarded(csv.reader(itertools.chain([first_line], text), delimiter=delimiter))
    headers = next(reader, None)
    if not headers:
        raise FileRefused(_("Tệp rỗng: không có tiêu đề cột và không có dòng dữ liệu nào."))
    return headers, enumerate(reader, start=2), max(lines - 1, 1)


def _count_lines(source, head) -> int:
    count, block = head.count(b"\n"), head
    while block:
        block = source.read(CSV_BLOCK)
        count += block.count(b"\n")
    return count


def not_utf8() -> str:
    return _("Tệp CSV không ở bảng mã UTF-8: trong Excel hãy chọn Lưu dưới dạng “CSV UTF-8”. "
             "Hoặc tệp không phải bảng tính.")


def _decoded_lines(source):
    """The lines of a UTF-8 file (BOM dropped), each with its line end, split on "\\n" only
    (as `io.StringIO` splits them), decoded block by block."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    rest = ""
    while True:
        block = source.read(CSV_BLOCK)
        try:
            text = rest + decoder.decode(block, final=not block)
        except UnicodeDecodeError:
            raise FileRefused(not_utf8()) from None
        lines = text.split("\n")
        rest = lines.pop()
        for line in lines:
            yield line + "\n"
        if not block:
            break
    if rest:
        yield rest


# Reading a worksheet by the cells it holds.

def too_long(last_row: int) -> str:
    return _("Trang tính khai báo vùng dữ liệu đến dòng %(row)s, vượt giới hạn %(n)s dòng dữ "
             "liệu (cộng dòng tiêu đề). Nếu bên dưới chỉ là dòng trống, hãy xóa hẳn các dòng đó "
             "trong Excel rồi lưu lại; nếu không, hãy chia thành nhiều tệp.") % {
        "row": f"{last_row:,}".replace(",", "."), "n": f"{max_rows():,}".replace(",", ".")}


# Several times the widest template: a wider header row is not one of ours.
MAX_COLUMNS = 200


def _present_rows(sheet, last_row, counted=None):
    """(row number, {column number: value}) of each row of a read-only sheet that holds a
    value, straight from the sheet's XML: no row or cell is made up for the gaps. Reading
    beyond `last_row` (or more row elements than that) refuses the file."""
    from openpyxl.worksheet._reader import WorkSheetParser

    # openpyxl's public iterators pad gaps and widths; its parser (the one they use) does not.
    book = sheet.parent
    with counted if counted is not None else sheet._get_source() as xml:
        parser = WorkSheetParser(xml, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for seen, (number, cells) in enumerate(parser.parse(), start=1):
            if number > last_row or seen > last_row:
                raise FileRefused(too_long(max(number, seen)))
            values = {c["column"]: c["value"] for c in cells if c["value"] is not None}
            if values:
                yield number, values


def _within(rows, named):
    """Rows as lists of the cells under the named columns. A value under no name belongs to
    no column but still makes its row a row, as before: one such value is kept, last."""
    columns = set(named)
    for number, values in rows:
        cells = [values.get(c) for c in named]
        stray = next((v for c, v in values.items() if c not in columns), None)
        yield number, cells if stray is None else [*cells, stray]
