"""Category cells: a column of the statistics forms' categories (qualification, occupation,
general education) that old files fill with people's own words. A cell is read into the
category its words name (`members.categories`) and those words, which the import keeps in
the record's free-text field when they say more than the category's name; written back as
the category's label, or as the free text when there is no category (both re-import to the
same record)."""
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from .columns import TextWidget, normalise


@dataclass(frozen=True)
class CategoryCell:
    """A cell read: `code` the category ("" when the words name none), `text` the words to
    keep beside it ("" when they are nothing but the category's name)."""

    code: str
    text: str


class CategoryWidget(TextWidget):
    """`read(text)` names the category or None; `bare(text)` says the text is nothing but a
    category's name (no `bare`: the words are always kept). `keeps_text` False: the record
    has no field for the words (general education), so words naming no category read as an
    empty cell once warned about."""

    def __init__(self, choices, read, bare=None, keeps_text=True, **kwargs):
        super().__init__(**kwargs)
        self.choices, self.read, self.bare, self.keeps_text = choices, read, bare, keeps_text
        with translation.override("vi"):
            self.labels = {value: str(label) for value, label in choices.choices}

    def clean(self, value, row=None, **kwargs):
        text = normalise(value)
        if not text:
            return None
        code = self.read(text) or ""
        return CategoryCell(code, "" if code and self.bare and self.bare(text) else text)

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, CategoryCell):
            if value.code:
                return self.labels[value.code]
            return value.text if self.keeps_text else ""
        return self.labels.get(value, "") if value else ""


def fill_category(record, values, present, *, column, attr, text_column=None, text_attr=None,
                  warn=None):
    """Set `record.attr` (the category) and `record.text_attr` (the words) from the row's
    `values` as the import writes them: a column the file has, or every column for a new
    record. The words come from `text_column` when it has some, else from the category cell
    when they say more than its name; a file without `text_column` otherwise keeps the stored
    words. `warn(column, message)` is told of words that name no category."""
    new = record.pk is None
    cell = values.get(column)
    if column in present or new:
        setattr(record, attr, cell.code if cell else "")
        if cell and not cell.code and warn:
            warn(column, (_("không xếp được “%(v)s” vào loại nào của biểu thống kê; giữ chữ đã "
                            "ghi, để trống loại.") if text_attr else
                          _("không xếp được “%(v)s” vào loại nào của biểu thống kê; để trống."))
                 % {"v": cell.text})
    if text_attr is None:
        return
    own = values.get(text_column) if text_column in present or new else None
    if own:
        text = own
    elif column in present and cell and cell.text:
        text = cell.text
    elif text_column in present or new:
        text = ""
    else:
        return
    setattr(record, text_attr, text)
