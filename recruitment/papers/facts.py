"""How a paper writes the facts of the record: names as recorded, dates as "05/03/2026" or in
words ("ngày 05 tháng 3 năm 2026"), and dotted lines where the record has nothing yet, as on
the printed forms (never "None", never an empty gap)."""
from datetime import date

from members.documents import document_heading, long_date, signing_body
from members.models import Organisation

DOTS = "…………………"
SHORT_DOTS = "……"
DATE_DOTS = "…/…/……"
WORDS_DOTS = "ngày …… tháng …… năm ……"


def text(value, dots: str = DOTS) -> str:
    value = "" if value is None else str(value).strip()
    return value or dots


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else DATE_DOTS


def words(value: date | None) -> str:
    return long_date(value) if value else WORDS_DOTS


def count(value: int | None) -> str:
    return SHORT_DOTS if value is None else str(value)


def issuing_body(organisation: Organisation | None) -> str:
    """The body that signs for an organisation: "Đảng bộ X" is signed by "Đảng ủy X"."""
    return DOTS if organisation is None else signing_body(organisation.name)


# The regulation implementing the Charter in force on a day: a decision cites the one of its
# own date, so a 2024 decision printed today does not cite a 2025 text.
CHARTER_REGULATIONS = [
    (date(2025, 7, 1), "Quy định số 294-QĐ/TW ngày 26/5/2025"),
    (date(2025, 1, 20), "Quy định số 232-QĐ/TW ngày 20/01/2025"),
    (date(2021, 7, 30), "Quy định số 24-QĐ/TW ngày 30/7/2021"),
    (date(2016, 7, 25), "Quy định số 29-QĐ/TW ngày 25/7/2016"),
]


def charter_regulation(on: date | None) -> str:
    """'Quy định số 294-QĐ/TW ngày 26/5/2025' for a paper of `on` (today's when undated)."""
    from ..rules import today

    on = on or today()
    return next((text for since, text in CHARTER_REGULATIONS if on >= since),
                CHARTER_REGULATIONS[-1][1])


def deciding_body(organisation: Organisation | None) -> str:
    """Who decides in an organisation's name: the standing committee of an upper committee
    ("Ban Thường vụ Đảng ủy Khối …"), the committee of a grassroots one ("Đảng ủy …")."""
    if organisation is not None and organisation.kind == "upper_committee":
        return f"Ban Thường vụ {issuing_body(organisation)}"
    return issuing_body(organisation)


# The suffix of a number by the kind of paper and the issuing organisation's kind:
# "125-QĐ/ĐU" (a committee's decision), "3-NQ/CB" (a branch's resolution).
ISSUER_SUFFIX = {"upper_committee": "ĐU", "grassroots_committee": "ĐU",
                 "partial_committee": "ĐUBP", "grassroots_branch": "CB", "branch": "CB"}


def number_suffix(kind: str, organisation: Organisation | None) -> str:
    issuer = ISSUER_SUFFIX.get(organisation.kind if organisation else "", "ĐU")
    return f"{kind}/{issuer}"


def heading(organisation: Organisation | None, *, title: str, subtitle: str = "",
            on: date | None = None, number: str = "", kind: str = "",
            recipients: list[str] | None = None) -> dict:
    """The heading and signature block of a paper an organisation issues (36-HD/VPTW): the
    body above and the issuing body, the number (or its blank "Số    -QĐ/ĐU"), the place
    and date, and who signs for it."""
    parent = organisation.parent if organisation is not None and organisation.parent_id else None
    base = document_heading(organisation) if organisation is not None else {
        "place": DOTS, "signer_capacity": "", "signer_title": "", "signer_name": ""}
    suffix = number_suffix(kind, organisation) if kind else ""
    return {
        **base,
        # 36-HD/VPTW: the organisation above is named as a party organisation ("ĐẢNG BỘ
        # TỈNH …"), the issuer as the body that signs ("ĐẢNG ỦY …", "CHI BỘ …").
        "body_parent": parent.name if parent else "",
        "body": issuing_body(organisation),
        # "125-QĐ/ĐU", or the blank the office fills in when it signs: "……-QĐ/ĐU".
        "number": number.strip() or (f"{SHORT_DOTS}-{suffix}" if suffix else ""),
        "number_suffix": suffix,
        "date": on,
        "date_words": words(on),
        "regulation": charter_regulation(on),
        "title": title,
        "subtitle": subtitle,
        "recipients": recipients or [],
    }
