"""Which papers a dossier has, and the whole dossier of one person: one PDF (a cover with the
table of contents, then each paper in the order of an admission file) and a ZIP of the Word
files. Batches (every decision signed on one day) join papers the same way."""
import zipfile
from io import BytesIO

from members.pdf import join, render_document

from ..models import IntroductionKind
from . import PAPERS, Paper, context, filename, render_docx
from .blocks import to_html
from .builders import live_events

RECORDED, NEXT = "recorded", "next"

# Papers that share a step but belong only to some dossiers: the introductions it has.
INTRODUCED_BY = {"3-knd": IntroductionKind.MEMBER, "4-knd": IntroductionKind.YOUTH_UNION,
                 "4a-knd": IntroductionKind.TRADE_UNION}


def _applies(p: Paper, candidate) -> bool:
    kind = INTRODUCED_BY.get(p.slug)
    return kind is None or any(i.kind == kind for i in candidate.introductions.all())


def taken_actions(candidate) -> set[str]:
    """The steps recorded on the dossier and not undone."""
    return {e.action for e in live_events(candidate)}


def recorded(candidate) -> list[Paper]:
    """The papers of the steps already taken, in dossier order."""
    taken = taken_actions(candidate)
    return [p for p in PAPERS if taken & set(p.actions) and _applies(p, candidate)]


def for_candidate(candidate, open_actions=()) -> list[tuple[Paper, str]]:
    """Each paper of a step taken ("recorded") or about to be taken by the user ("next")."""
    taken = taken_actions(candidate)
    open_codes = {a.code for a in open_actions}
    rows = []
    for p in PAPERS:
        if taken & set(p.actions) and _applies(p, candidate):
            rows.append((p, RECORDED))
        elif open_codes & set(p.actions):
            rows.append((p, NEXT))
    return rows


def _paper_document(p: Paper, candidate):
    ctx = context(p, candidate)
    return render_document(f"papers/{p.layout}.html",
                           {**ctx, "body_html": to_html(ctx["blocks"])})


def dossier_pdf(candidate) -> tuple[bytes, int]:
    """The whole dossier as one PDF, and its page count. The table of contents gives the page
    each paper starts on (the cover's own pages counted first)."""
    papers = recorded(candidate)
    documents = [(p, _paper_document(p, candidate)) for p in papers]

    def cover(start):
        entries, page = [], start
        for p, document in documents:
            entries.append({"paper": p, "page": page, "pages": len(document.pages)})
            page += len(document.pages)
        return render_document("papers/dossier_cover.html", {
            "c": candidate, "entries": entries, "branch": candidate.organisation,
        })

    first = cover(2)
    final = cover(len(first.pages) + 1)  # the cover's length is known now
    pdf = join([final, *(document for _p, document in documents)])
    return pdf, len(final.pages) + sum(len(d.pages) for _p, d in documents)


def dossier_zip(candidate) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, p in enumerate(recorded(candidate), start=1):
            z.writestr(f"{n:02d}-{filename(p, candidate, 'docx')}", render_docx(p, candidate))
    return out.getvalue()


def batch_pdf(items) -> bytes:
    """Several papers, each of its own candidate: [(paper, candidate)] → one PDF."""
    return join(_paper_document(p, c) for p, c in items)
