"""The register of papers: each builder registers its paper (slug, form code, title, layout,
the workflow steps it records); `PAPERS` keeps the order of an admission file."""
from collections.abc import Callable
from dataclasses import dataclass

ISSUED, PERSONAL = "issued", "personal"


@dataclass(frozen=True)
class Paper:
    slug: str  # "9-knd": the URL and the template's name
    code: str  # "9-KNĐ", or "" for papers without a form number
    title: str  # "Quyết định kết nạp đảng viên"
    layout: str  # ISSUED or PERSONAL
    actions: tuple[str, ...]  # the workflow steps this paper records
    builder: Callable  # candidate → context

    @property
    def label(self) -> str:
        return f"{self.code} — {self.title}" if self.code else self.title


# The papers of an admission file in the order the regulations list them (Hướng dẫn
# 38-HD/BTCTW), which is the order of the whole dossier.
ORDER = ["du-nguon", "giup-do", "1-knd", "2-knd", "3-knd", "4-knd", "4a-knd", "5-knd",
         "6-knd", "7-knd", "8-knd", "9-knd", "le-ket-nap", "10-knd", "11-knd", "12-knd",
         "13-knd", "14-knd", "15-knd", "16-knd", "xoa-ten"]
PAPERS: list[Paper] = []


def paper(slug, code, title, layout, actions):
    """Register a builder as the context of a paper; `PAPERS` keeps the order of `ORDER`."""
    def register(builder):
        PAPERS.append(Paper(slug, code, title, layout, tuple(actions), builder))
        PAPERS.sort(key=lambda p: ORDER.index(p.slug))
        return builder
    return register
