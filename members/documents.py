"""What a printed document says about the organisation that issues it: the place name of its
heading ("Vĩnh Yên, ngày … tháng … năm …"), in whose name it is signed, and who signs. Every
PDF takes these from `document_heading`; templates/pdf/base.html prints them."""
from datetime import date

from django.conf import settings

from .models import Organisation
from .models import OrganisationKind as K

# Left for the hand when nothing is recorded: a wrong place or name on a signed document is
# worse than a blank to fill in.
DOTTED_LINE = "……………"
DEFAULT_SIGNER_TITLE = "BÍ THƯ"
# Hướng dẫn 36-HD/VPTW: the collective a document is signed for ("thay mặt").
SIGNER_CAPACITY = {
    K.UPPER_COMMITTEE: "T/M BAN THƯỜNG VỤ",
    K.GRASSROOTS_COMMITTEE: "T/M ĐẢNG ỦY",
    K.PARTIAL_COMMITTEE: "T/M ĐẢNG ỦY BỘ PHẬN",
    K.GRASSROOTS_BRANCH: "T/M CHI BỘ",
    K.BRANCH: "T/M CHI BỘ",
}


def signing_body(name: str) -> str:
    """The body that signs for an organisation, from its name: "Đảng bộ X" is signed by
    "Đảng ủy X"; a branch signs as itself."""
    for word in ("Đảng bộ ", "đảng bộ "):
        if name.startswith(word):
            return "Đảng ủy " + name[len(word):]
    return name


def long_date(value: date | None) -> str:
    """'ngày 05 tháng 3 năm 2026', 'ngày 23 tháng 02 năm 2026': a day below 10 and the months
    1 and 2 take a leading zero (Hướng dẫn 36-HD/VPTW, the date of a party document)."""
    if not value:
        return ""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def document_place(organisation: Organisation) -> str:
    """The organisation's own place name, else that of its nearest ancestor that has one (one
    query), else the deployment's DOCUMENT_PLACE, else a dotted line."""
    place = organisation.document_place.strip()
    if not place:
        place = (organisation.ancestors().exclude(document_place="").order_by("-path")
                 .values_list("document_place", flat=True).first() or "").strip()
    return place or settings.DOCUMENT_PLACE.strip() or DOTTED_LINE


def document_heading(organisation: Organisation) -> dict:
    """The parts of a document's heading and signature block that depend on the issuing
    organisation, under the keys templates/pdf/base.html reads from `doc`: `place`,
    `signer_capacity` ("T/M BAN THƯỜNG VỤ"), `signer_title` ("BÍ THƯ") and `signer_name`
    (empty: the template leaves a dotted line to write the name by hand)."""
    return {
        "place": document_place(organisation),
        "signer_capacity": SIGNER_CAPACITY.get(organisation.kind,
                                               SIGNER_CAPACITY[K.UPPER_COMMITTEE]),
        "signer_title": organisation.signer_title.strip() or DEFAULT_SIGNER_TITLE,
        "signer_name": organisation.signer_name.strip(),
    }
