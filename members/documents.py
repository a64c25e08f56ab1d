"""What a printed document says about the organisation that issues it: the place name of its
heading ("Vĩnh Yên, ngày … tháng … năm …"), in whose name it is signed, and who signs. Every
PDF takes these from `document_heading`; templates/pdf/base.html prints them."""
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
