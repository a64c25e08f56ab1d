"""Reading the rows of an uploaded spreadsheet through a resource's columns: the headers
checked against the template's (a misspelled one named), then each cell parsed, validated
and kept with its problems."""
import difflib
import unicodedata

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from .import_batch import Problem, Row
from .import_files import FileRefused, max_rows
from .resources import is_example, normalise, unescape_formula


def _header(value) -> str:
    return " ".join(normalise(value).split())


def check_headers(resource, headers) -> dict[str, int]:
    """Column name → position; refuses a file with a missing, misspelled or doubled column."""
    names = [_header(h) for h in headers]
    known = resource.headers()
    positions, problems = {}, []
    for i, name in enumerate(names):
        if name in known:
            if name in positions:
                problems.append(_("Cột “%(name)s” xuất hiện hai lần.") % {"name": name})
            positions[name] = i
    unknown = [n for n in names if n and n not in known]
    for column in resource.columns():
        name = column.column_name
        if name in positions:
            continue
        guess = _close_match(name, unknown)
        if guess:
            problems.append(_("Cột “%(found)s” viết sai tên: phải là “%(name)s” (đúng như tệp mẫu, "
                              "có dấu).") % {"found": guess, "name": name})
        elif column.required:
            problems.append(_("Thiếu cột bắt buộc “%(name)s”.") % {"name": name})
    if problems:
        problems.append(_("Các cột của tệp mẫu: %(names)s.") % {"names": ", ".join(known)})
        raise FileRefused(*problems)
    return positions


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _close_match(name, candidates):
    folded = {_fold(c): c for c in candidates}
    match = difflib.get_close_matches(_fold(name), list(folded), n=1, cutoff=0.75)
    return folded[match[0]] if match else None


def _model_field(model, attribute):
    """The model field behind a column, whose validators (length, format) a cell must pass."""
    try:
        f = model._meta.get_field(attribute)
    except FieldDoesNotExist:
        return None
    return None if f.is_relation else f


class RowReader:
    """The rows of a file read cell by cell through the resource's columns, as the file
    streams: the whole file in one list, or a chunk at a time. A column the file leaves out
    reads as an empty cell, so a new record takes its default (`Dân tộc`: Kinh); resources
    keep the stored value of an existing record for it (see `present`)."""

    def __init__(self, resource, headers, raw_rows, total, progress=None):
        positions = check_headers(resource, headers)
        self.present = set(positions)
        self.columns = [(c, positions[c.column_name],
                         _model_field(resource._meta.model, c.attribute)
                         if c.attribute and not c.readonly else None)
                        for c in resource.columns() if c.column_name in positions]
        self.absent = {c.column_name: c.parse(None) for c in resource.columns()
                       if c.column_name not in positions}
        # The number of rows, as the file declares it or as a function of the rows read.
        self._total, self.progress = total, progress
        self.raw_rows = raw_rows
        self.count = 0  # rows read so far
        self.examples: list[int] = []  # the numbers of the template's example rows skipped

    @property
    def total(self) -> int:
        """The rows of the file as far as can be told yet (for the progress bar)."""
        total = self._total(self.count) if callable(self._total) else self._total
        return max(total, self.count, 1)

    def chunks(self, size=None):
        """(rows, their cell problems) by lists of at most `size` rows (None: one list of
        every row). Refuses a file with too many rows, or none."""
        rows, problems, limit = [], [], max_rows()
        for number, raw in self.raw_rows:
            cells = [unescape_formula(v) if isinstance(v, str) else v for v in raw]
            if all(normalise(v) == "" for v in cells):
                continue
            if is_example(cells):
                self.examples.append(number)
                continue
            if self.count >= limit:
                raise FileRefused(_("Tệp có hơn %(n)s dòng dữ liệu; hãy chia thành nhiều tệp.") % {
                    "n": f"{limit:,}".replace(",", ".")})
            row = Row(number, dict(self.absent), {})
            for column, i, model_field in self.columns:
                value = cells[i] if i < len(cells) else None
                _read_cell(row, column, value, model_field, problems)
            rows.append(row)
            self.count += 1
            if size is None and self.progress and self.count % 1000 == 0:
                self.progress(min(50 * self.count // self.total, 50), _("Đã đọc %(n)s dòng") % {
                    "n": thousands(self.count)})
            if size is not None and len(rows) >= size:
                yield rows, problems
                rows, problems = [], []
        if not self.count and self.examples:
            raise FileRefused(_("Tệp chỉ có dòng ví dụ của tệp mẫu, không có dòng dữ liệu "
                                "nào: hãy ghi dữ liệu vào các dòng dưới dòng tiêu đề."))
        if not self.count:
            raise FileRefused(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
        if rows:
            yield rows, problems


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def parse_rows(resource, headers, raw_rows, total, progress=None):
    """Read every cell of every row at once; returns (present columns, rows, cell problems)."""
    reader = RowReader(resource, headers, raw_rows, total, progress)
    rows, problems = next(reader.chunks())
    return reader.present, rows, problems


def _read_cell(row, column, value, model_field, problems):
    name = column.column_name
    try:
        parsed = column.parse(value)
    except ValueError as err:
        row.ok = False
        problems.append(Problem(row.number, name, str(err)))
        row.values[name], row.text[name] = None, ""
        return
    if parsed in (None, "") and column.required:
        row.ok = False
        problems.append(Problem(row.number, name, _("cột bắt buộc, không được để trống.")))
    elif isinstance(parsed, str) and model_field is not None:
        try:
            model_field.run_validators(parsed)
        except ValidationError as err:
            row.ok = False
            problems.append(Problem(row.number, name, " ".join(err.messages)))
    row.values[name] = parsed
    row.text[name] = column.text(parsed)
