"""Members' professional qualification read from the old free text (`profession`), in the
live table and its history. The reading rules are a frozen copy of `members/categories.py`
as it stood when this migration was written (a migration must not change when the app's
rules do); recruitment's 0012 uses the same copy for candidates."""
import re
import unicodedata

from django.db import migrations

QUALIFICATIONS = {
    "none": "Chưa qua đào tạo chuyên môn", "elementary": "Sơ cấp, công nhân kỹ thuật",
    "intermediate": "Trung cấp", "college": "Cao đẳng", "university": "Đại học",
    "master": "Thạc sĩ", "doctor": "Tiến sĩ",
}
OCCUPATIONS = {
    "worker": "Công nhân", "farmer": "Nông dân", "civil_servant": "Cán bộ, công chức, viên chức",
    "army": "Quân đội", "police": "Công an", "business_owner": "Chủ doanh nghiệp tư nhân",
    "employee": "Người lao động trong doanh nghiệp, hợp tác xã",
    "student": "Học sinh, sinh viên", "other": "Khác",
}


def fold(text):
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _exact(folded, labels):
    for value, label in labels.items():
        if folded in (value, fold(label)):
            return value
    return None


def _words(*words):
    return re.compile(r"\b(" + "|".join(words) + r")\b")


_NOT_QUALIFICATION = [
    re.compile(r"\b(so|trung|cao) cap\s*(ly luan\s*)?(chinh tri|llct)\b[^,;()]*"),
    re.compile(r"\b(sc|tc|cc)\s*llct\b"),
    re.compile(r"\b(dang|se|chuan bi)\s*(theo\s*)?hoc\b[^,;()]*"),
]
_LEVELS = [
    (_words("tien si", "ts", "tskh", "pho tien si"), "doctor"),
    (_words("thac si", "ths", "cao hoc"), "master"),
    (_words("dai hoc", "dh"), "university"),
    (_words("cao dang", "cd"), "college"),
    (_words("trung cap", "tc", "trung hoc chuyen nghiep", "thcn", "duoc si trung hoc"),
     "intermediate"),
    (_words("so cap", "cong nhan ky thuat", "cnkt"), "elementary"),
    (_words("cu nhan", "ky su", "ks", "bac si", "duoc si", "kien truc su"), "university"),
    (_words("y si"), "intermediate"),
    (re.compile(r"^(khong|chua|chua (qua|duoc) dao tao( chuyen mon)?"
                r"|khong (qua|duoc) dao tao( chuyen mon)?|(khong|chua) co chuyen mon"
                r"|lao dong pho thong)$"), "none"),
]
_BARE_QUALIFICATIONS = {"dh", "dai hoc", "cd", "cao dang", "tc", "trung cap", "ths", "thac si",
                        "ts", "tien si", "so cap", "chua qua dao tao", "khong", "chua"}


def qualification_level(text):
    folded = fold(text or "")
    if not folded:
        return None
    exact = _exact(folded, QUALIFICATIONS)
    if exact:
        return exact
    for pattern in _NOT_QUALIFICATION:
        folded = pattern.sub(" ", folded)
    folded = " ".join(folded.split())
    for pattern, level in _LEVELS:
        if pattern.search(folded):
            return level
    return None


_ENTERPRISE = _words("cong ty", "doanh nghiep", "hop tac xa", "htx", "tap doan", "tnhh",
                     "co phan", "xi nghiep", "nha may")
_JOBS = [
    (_words("hoc sinh", "sinh vien", "hs", "sv"), "student"),
    (_words("cong an", "canh sat", "cand"), "police"),
    (_words("bo doi", "quan nhan", "quan doi", "qncn", "qdnd", "si quan quan doi"), "army"),
    (_words("chu doanh nghiep", "chu dntn", "chu cong ty", "giam doc doanh nghiep tu nhan"),
     "business_owner"),
    (re.compile(r"\bcong nhan\b(?!\s*vien)"), "worker"),
    (_words("nong dan", "lam ruong", "lam nong", "lam nong nghiep"), "farmer"),
    (_words("giao vien", "giang vien", "vien chuc", "cong chuc"), "civil_servant"),
    (_words("xa vien"), "employee"),
]
_OTHER = _words("lao dong tu do", "tu do", "buon ban", "noi tro")


def occupation_group(text):
    folded = fold(text or "")
    if not folded:
        return None
    exact = _exact(folded, OCCUPATIONS)
    if exact:
        return exact
    for pattern, group in _JOBS:
        if pattern.search(folded):
            return group
    enterprise = _ENTERPRISE.search(folded)
    if re.search(r"\bcan bo\b", folded):
        return "employee" if enterprise else "civil_servant"
    if enterprise and re.search(r"\b(nhan vien|ke toan|lao dong|ky su|thu quy|quan ly"
                                r"|truong phong|pho phong|chuyen vien)\b", folded):
        return "employee"
    return "other" if _OTHER.search(folded) else None


def bare_qualification(text):
    """Text that is nothing but a qualification's name ("Đại học", "ThS")."""
    folded = " ".join(fold(text or "").split())
    return bool(_exact(folded, QUALIFICATIONS)) or folded in _BARE_QUALIFICATIONS


def fill(model, *, text_field, category_field, read, bare=None):
    """Each distinct text once: the category it names into `category_field` (left alone
    where one is set already); text that `bare` says is nothing but the category's name
    leaves the free-text field, the rest stays there."""
    empty = model.objects.filter(**{category_field: ""}).exclude(**{text_field: ""})
    for text in set(empty.values_list(text_field, flat=True)):
        category = read(text)
        if category is None:
            continue
        empty.filter(**{text_field: text}).update(**{
            category_field: category, text_field: "" if bare and bare(text) else text})


def forward(apps, schema_editor):
    for name in ("Member", "HistoricalMember"):
        fill(apps.get_model("members", name), text_field="profession",
             category_field="qualification", read=qualification_level,
             bare=bare_qualification)


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0007_figures_in_time"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
