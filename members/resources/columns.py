"""How a cell of a spreadsheet reads and writes: the widgets (dd/mm/yyyy, Nam/Nữ, Có/Không,
codes) and the Column that names a header of spec/import-format.md with its example and note."""
import re
import unicodedata
from datetime import date, datetime

from django.db.models import NOT_PROVIDED
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, widgets

from ..fields import DAY_RE


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Vietnamese."""


def normalise(value) -> str:
    """A cell as text: numbers from XLSX without '.0', Unicode NFC, outer spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


# Widgets: read a cell (clean) and write one (render), always as text.

class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return normalise(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(widgets.Widget):
    """dd/mm/yyyy, or a date cell of an XLSX file."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = normalise(value)
        if not text:
            return None
        match = DAY_RE.fullmatch(text)  # dd/mm/yyyy, as the forms read it
        if not match:
            raise CellError(_("“%(v)s” không phải ngày; ghi theo dạng dd/mm/yyyy, ví dụ "
                              "02/09/2020.") % {"v": text})
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise CellError(_("ngày “%(v)s” không có thật.") % {"v": text}) from None

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _casefold(text) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


class ChoiceWidget(widgets.Widget):
    """A stored code written as its Vietnamese label (`Nam`, `Chi bộ trực thuộc`)."""

    def __init__(self, choices, aliases=None, **kwargs):
        super().__init__(**kwargs)
        # Files always carry the spec's Vietnamese labels, whatever language the user reads.
        with translation.override("vi"):
            self.labels = {value: str(label) for value, label in choices}
        self.by_label = {_casefold(label): value for value, label in self.labels.items()}
        for alias, value in (aliases or {}).items():
            self.by_label[_casefold(alias)] = value

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        try:
            return self.by_label[_casefold(text)]
        except KeyError:
            raise CellError(_("“%(v)s” không hợp lệ; ghi một trong: %(choices)s.") % {
                "v": text, "choices": ", ".join(self.labels.values())}) from None

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, "") if value else ""


class YesNoWidget(widgets.Widget):
    YES, NO = "Có", "Không"

    def clean(self, value, row=None, **kwargs):
        text = _casefold(normalise(value))
        if text in ("", _casefold(self.NO)):
            return False
        if text == _casefold(self.YES):
            return True
        raise CellError(_("“%(v)s” không hợp lệ; ghi “Có” hoặc “Không” (để trống là "
                          "“Không”).") % {"v": normalise(value)})

    def render(self, value, obj=None, **kwargs):
        return self.YES if value else self.NO


COUNT_RE = re.compile(r"\d+|\d{1,3}(\.\d{3})+")


class CountWidget(widgets.Widget):
    """A whole number ≥ 0 (`1.234` with Vietnamese thousands dots is read as 1234)."""

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        if not COUNT_RE.fullmatch(text):
            raise CellError(_("“%(v)s” không phải số nguyên không âm.") % {"v": text})
        return int(text.replace(".", ""))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CodeWidget(widgets.ForeignKeyWidget):
    """An organisation (or class) written as its code. The bulk engine resolves all codes of a
    file in one query; `clean` serves django-import-export's own row-by-row import."""

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: text})
        except self.model.DoesNotExist:
            raise CellError(_("không có mã “%(v)s”.") % {"v": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class Column(fields.Field):
    """A column of the spec: header, whether it is required, an example and a short note."""

    def __init__(self, column_name, attribute=None, widget=None, *, required=False,
                 lookup=False, example="", note="", default=NOT_PROVIDED, readonly=False):
        super().__init__(attribute=attribute, column_name=column_name,
                         widget=widget or TextWidget(), default=default, readonly=readonly)
        self.required = required
        self.lookup = lookup  # a code resolved in bulk by the resource, not by the widget
        self.example = example
        self.note = note

    @property
    def hint(self) -> str:
        """The note, or what the widget accepts (shown on the upload page and the template)."""
        if self.note:
            return str(self.note)
        w = self.widget
        if isinstance(w, DateWidget):
            return _("Ngày, dạng dd/mm/yyyy.")
        if isinstance(w, YesNoWidget):
            return _("Có / Không (để trống là Không).")
        if isinstance(w, ChoiceWidget):
            return _("Một trong: %(v)s.") % {"v": ", ".join(w.labels.values())}
        if isinstance(w, CountWidget):
            return _("Số nguyên.")
        if self.default is not NOT_PROVIDED and self.default:
            return _("Để trống là “%(v)s”.") % {"v": w.render(self.default)}
        return ""

    def parse(self, value):
        """The cell's value for the bulk engine: lookups stay text, the rest go through the
        widget (CellError when unreadable), empty cells take the default."""
        if self.lookup:
            parsed = normalise(value) or None
        else:
            parsed = self.widget.clean(value)
        if parsed in (None, "") and self.default is not NOT_PROVIDED:
            return self.default
        return None if parsed == "" else parsed

    def text(self, parsed) -> str:
        """The parsed value written back as export text (to compare with what is stored)."""
        if self.lookup:
            return parsed or ""
        return self.widget.render(parsed)
