"""The base of every spreadsheet kind: its columns, export and the bulk import hooks the engine
in `members/importing.py` drives, and the CSV writer for exports."""
import csv
import io

from import_export import resources

from ..xlsx import escape_formula
from .columns import Column

# The template's example row starts with this mark; a file uploaded with the row still in it
# has it skipped (and says so), so the example never lands in the database.
EXAMPLE_MARK = "(Ví dụ)"


def is_example(cells) -> bool:
    first = next((c for c in cells if c not in (None, "")), None)
    return isinstance(first, str) and first.strip().startswith(EXAMPLE_MARK)


class SpreadsheetResource(resources.ModelResource):
    """A kind of spreadsheet: its columns, its export query, and the bulk import of a file.

    Subclasses set `slug`, `title`, `import_roles` and implement `export_queryset`, `row_key`,
    `plan` (look everything up in bulk, check every row, decide what to write) and `apply`
    (bulk writes inside the engine's transaction)."""

    slug = ""
    title = ""
    import_roles: tuple = ()
    # Columns whose values identify a row (duplicates in one file are refused on them).

    def columns(self) -> list[Column]:
        return self.get_export_fields()

    def headers(self) -> list[str]:
        return [c.column_name for c in self.columns()]

    def render(self, obj) -> dict[str, str]:
        return dict(zip(self.headers(), self.export_resource(obj), strict=True))

    def export_rows(self, queryset):
        for obj in self.iter_queryset(queryset):
            yield self.export_resource(obj)

    def example_row(self, branch_code="") -> list[str]:
        """The template's example row, its first cell marked with EXAMPLE_MARK."""
        row = [c.example.replace("{branch}", branch_code or "CB-01") for c in self.columns()]
        if row:
            row[0] = f"{EXAMPLE_MARK} {row[0]}".strip()
        return row

    def differs(self, obj, row, present) -> bool:
        current = self.render(obj)
        return any(current[c] != row.text[c] for c in present if c in current)

    # Subclasses:
    def export_queryset(self, user, params):
        raise NotImplementedError

    def row_key(self, row):
        """(column to name in a duplicate error, key tuple), or None when the key is empty."""
        raise NotImplementedError

    def plan(self, batch):
        raise NotImplementedError

    def apply(self, batch):
        raise NotImplementedError


# Writers: the same rows as XLSX (write-only, streamed to a file) or CSV (UTF-8 with BOM,
# which Excel opens with the Vietnamese letters intact).

def csv_chunks(headers, rows):
    """CSV text in chunks, for a streaming response: BOM, header, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for n, row in enumerate(rows, start=1):
        writer.writerow([escape_formula(v or "") for v in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
