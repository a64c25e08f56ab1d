"""General education as the statistics forms count it, read from what people write.

Old files and old records say "12/12", "9/12 (bổ túc)", "7/10", "Tốt nghiệp THCS", "THPT",
"Tiểu học"…; `education_level` maps each to one `Education` category, or None when the text
says nothing it can be sure of (the import then asks for a category instead of guessing)."""
import re

from .models import fold
from .models.categories import Education

# grade/system: the 12-year system since 1981, the 10-year system before it (north).
_GRADE = re.compile(r"(\d{1,2})\s*/\s*(10|12)\b")
_WORDS = [
    # checked in this order, on the folded text
    (re.compile(r"\b(thpt|pho thong trung hoc|trung hoc pho thong|cap 3|cap iii|bo tuc van hoa 12"
                r"|tu tai)\b"), Education.UPPER_SECONDARY),
    (re.compile(r"\b(thcs|trung hoc co so|pho thong co so|cap 2|cap ii)\b"),
     Education.LOWER_SECONDARY),
    (re.compile(r"\b(tieu hoc|cap 1|cap i)\b"), Education.PRIMARY),
    (re.compile(r"\b(biet doc|biet viet|xoa mu)\b"), Education.LITERATE),
]
# Levels from grade/system: the lowest grade that completes each level.
_LEVELS = {12: [(12, Education.UPPER_SECONDARY), (9, Education.LOWER_SECONDARY),
                (5, Education.PRIMARY)],
           10: [(10, Education.UPPER_SECONDARY), (7, Education.LOWER_SECONDARY),
                (4, Education.PRIMARY)]}
_LABELS = {fold(str(label)): value for value, label in Education.choices}


def education_level(text: str) -> str | None:
    """The category `text` names: "12/12 (bổ túc)" → upper secondary, "Tốt nghiệp THCS" →
    lower secondary, "3/12" → literate; None for text that names none ("", "đại học")."""
    folded = fold(text or "")
    if not folded:
        return None
    if folded in Education.values:
        return folded
    if folded in _LABELS:
        return _LABELS[folded]
    match = _GRADE.search(folded)
    if match:
        grade, system = int(match[1]), int(match[2])
        if grade > system or grade == 0:
            return None
        for lowest, level in _LEVELS[system]:
            if grade >= lowest:
                return level
        return Education.LITERATE
    for pattern, level in _WORDS:
        if pattern.search(folded):
            return level
    return None
