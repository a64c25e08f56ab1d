"""The spreadsheet layouts of spec/import-format.md as django-import-export resources.

One resource per kind names its columns (Vietnamese headers, widgets that read and write
dd/mm/yyyy, Nam/Nữ, Có/Không) and knows how to plan and apply a whole file at once; the
generic engine in `members/importing.py` reads the file and drives them. Export writes the
same columns, so an export re-imports unchanged. This package is the one place to import
them from.
"""
# Spreadsheet formula injection: export writes formula-like text behind an apostrophe and
# import takes it off again; members/xlsx.py holds the one rule, re-exported here.
from ..xlsx import FORMULA_PREFIXES, escape_formula, unescape_formula, write_xlsx
from .base import (
    EXAMPLE_MARK,
    SpreadsheetResource,
    csv_chunks,
    is_example,
)
from .columns import (
    COUNT_RE,
    CellError,
    ChoiceWidget,
    CodeWidget,
    Column,
    CountWidget,
    DateWidget,
    TextWidget,
    YesNoWidget,
    normalise,
)
from .headcounts import HeadcountResource
from .members import MemberResource
from .movements import MovementResource
from .organisations import OrganisationResource

__all__ = [
    "COUNT_RE", "EXAMPLE_MARK", "FORMULA_PREFIXES", "CellError", "ChoiceWidget",
    "CodeWidget",
    "Column", "CountWidget", "DateWidget", "HeadcountResource", "MemberResource",
    "MovementResource", "OrganisationResource",
    "SpreadsheetResource", "TextWidget", "YesNoWidget", "csv_chunks", "escape_formula",
    "is_example", "normalise", "unescape_formula", "write_xlsx",
]
