"""The statistics forms' categories read from what people write: general education,
professional qualification and occupation.

Old files and old records say "12/12", "Cử nhân Luật", "ThS Kinh tế", "Giáo viên THCS",
"Làm ruộng"…; each function maps such text to one category, or None when the text says
nothing it can be sure of. None is never a guess: the import keeps the words in the free-text
field, leaves the category empty and says so, and a person picks the category on the page.

The rules, on the text folded (`fold`: lower case, no diacritics):

- any function: a category's exact code or label is that category;
- `education_level`: "a/12" or "a/10" by the grade completed, else THPT / THCS / tiểu học /
  biết đọc biết viết words;
- `qualification_level`: the highest level the text names (tiến sĩ > thạc sĩ > đại học > cao
  đẳng > trung cấp > sơ cấp), level words before titles ("Dược sĩ trung cấp" is trung cấp),
  then titles that carry a level (cử nhân, kỹ sư, bác sĩ… → đại học; y sĩ → trung cấp); what
  someone is still studying ("đang học thạc sĩ") and political theory ("Trung cấp lý luận
  chính trị") are not a professional qualification and are left out first;
- `occupation_group`: the first group whose words the text holds, in the order of `_JOBS`
  (a pupil or student first, then police before army, which share "chiến sĩ"…); an employee
  of an enterprise only when the text names the enterprise ("Kế toán công ty X"), a "cán bộ"
  of an enterprise likewise; "Kế toán" or "Nhân viên" alone say nothing sure.
"""
import re

from .models import fold
from .models.categories import Education, Occupation, Qualification

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


def _exact(folded: str, choices) -> str | None:
    """The category whose code or label `folded` is, exactly."""
    for value, label in choices.choices:
        if folded in (value, fold(str(label))):
            return value
    return None


def _words(*words: str) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(words) + r")\b")


# Not a professional qualification: political theory, and what someone is still studying.
_NOT_QUALIFICATION = [
    re.compile(r"\b(so|trung|cao) cap\s*(ly luan\s*)?(chinh tri|llct)\b[^,;()]*"),
    re.compile(r"\b(sc|tc|cc)\s*llct\b"),
    re.compile(r"\b(dang|se|chuan bi)\s*(theo\s*)?hoc\b[^,;()]*"),
]
# Level words, the highest first: a text naming two levels holds the higher one.
_LEVEL_WORDS = [
    (_words("tien si", "ts", "tskh", "pho tien si"), Qualification.DOCTOR),
    (_words("thac si", "ths", "cao hoc"), Qualification.MASTER),
    (_words("dai hoc", "dh"), Qualification.UNIVERSITY),
    (_words("cao dang", "cd"), Qualification.COLLEGE),
    (_words("trung cap", "tc", "trung hoc chuyen nghiep", "thcn", "duoc si trung hoc"),
     Qualification.INTERMEDIATE),
    (_words("so cap", "cong nhan ky thuat", "cnkt"), Qualification.ELEMENTARY),
]
# Titles that carry a level, read only when no level word is there.
_TITLES = [
    (_words("cu nhan", "ky su", "ks", "bac si", "duoc si", "kien truc su"),
     Qualification.UNIVERSITY),
    (_words("y si"), Qualification.INTERMEDIATE),
    (re.compile(r"^(khong|chua|chua (qua|duoc) dao tao( chuyen mon)?"
                r"|khong (qua|duoc) dao tao( chuyen mon)?|(khong|chua) co chuyen mon"
                r"|lao dong pho thong)$"), Qualification.NONE),
]


def qualification_level(text: str) -> str | None:
    """The professional qualification `text` names: "Cử nhân Luật", "ĐH Sư phạm" → university,
    "ThS" → master, "TC Kế toán" → intermediate, "Chưa qua đào tạo" → none; None for text that
    names none ("12/12", "Kỹ thuật viên", "Trung cấp lý luận chính trị")."""
    folded = fold(text or "")
    if not folded:
        return None
    exact = _exact(folded, Qualification)
    if exact:
        return exact
    for pattern in _NOT_QUALIFICATION:
        folded = pattern.sub(" ", folded)
    folded = " ".join(folded.split())
    for pattern, level in _LEVEL_WORDS + _TITLES:
        if pattern.search(folded):
            return level
    return None


# Names of an enterprise or a cooperative: someone working there is its employee.
_ENTERPRISE = _words("cong ty", "doanh nghiep", "hop tac xa", "htx", "tap doan", "tnhh",
                     "co phan", "xi nghiep", "nha may")
# In this order: the first group whose words the text holds.
_JOBS = [
    (_words("hoc sinh", "sinh vien", "hs", "sv"), Occupation.STUDENT),
    (_words("cong an", "canh sat", "cand"), Occupation.POLICE),
    (_words("bo doi", "quan nhan", "quan doi", "qncn", "qdnd", "si quan quan doi"),
     Occupation.ARMY),
    (_words("chu doanh nghiep", "chu dntn", "chu cong ty", "giam doc doanh nghiep tu nhan"),
     Occupation.BUSINESS_OWNER),
    # "công nhân viên (chức)" is the old name of any state employee: no group.
    (re.compile(r"\bcong nhan\b(?!\s*vien)"), Occupation.WORKER),
    (_words("nong dan", "lam ruong", "lam nong", "lam nong nghiep"), Occupation.FARMER),
    (_words("giao vien", "giang vien", "vien chuc", "cong chuc"), Occupation.CIVIL_SERVANT),
    (_words("xa vien"), Occupation.EMPLOYEE),
]
# Read last: "Tự Do" may be the name of a company.
_OTHER = _words("lao dong tu do", "tu do", "buon ban", "noi tro")


def occupation_group(text: str) -> str | None:
    """The occupation group `text` names: "Giáo viên", "Cán bộ UBND xã" → civil servant,
    "Làm ruộng" → farmer, "Kế toán Công ty TNHH An Phát" → employee; None for text that names
    none for sure ("Kế toán", "Nhân viên", "Kỹ sư")."""
    folded = fold(text or "")
    if not folded:
        return None
    exact = _exact(folded, Occupation)
    if exact:
        return exact
    for pattern, group in _JOBS:
        if pattern.search(folded):
            return group
    enterprise = _ENTERPRISE.search(folded)
    if re.search(r"\bcan bo\b", folded):
        return Occupation.EMPLOYEE if enterprise else Occupation.CIVIL_SERVANT
    if enterprise and re.search(r"\b(nhan vien|ke toan|lao dong|ky su|thu quy|quan ly"
                                r"|truong phong|pho phong|chuyen vien)\b", folded):
        return Occupation.EMPLOYEE
    return Occupation.OTHER if _OTHER.search(folded) else None


# Short forms that name a qualification and nothing more ("ĐH", "Thạc sĩ"): a cell holding
# one of these, a label or a code, is a bare category, with no words of its own to keep.
_BARE_QUALIFICATIONS = {"dh", "dai hoc", "cd", "cao dang", "tc", "trung cap", "ths", "thac si",
                        "ts", "tien si", "so cap", "chua qua dao tao", "khong", "chua"}


def bare_qualification(text: str) -> bool:
    """Whether `text` is nothing but a qualification's name (its code, its label or a short
    form): then there is no speciality or degree worth keeping beside the category."""
    folded = " ".join(fold(text or "").split())
    return bool(_exact(folded, Qualification)) or folded in _BARE_QUALIFICATIONS
