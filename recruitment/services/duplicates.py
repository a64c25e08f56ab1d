"""Is this person already in the register? One look-up, among the members (`entry.identify`)
and the candidates of the whole tree, answering in words the user may read: inside the user's
scope it names the unit and links the record, outside it says only that the person is known.

The candidate page asks it (`forms.duplicates`) one person at a time; the candidates import
fetches a chunk's namesakes at once (`candidates_named`) and judges each row with the same
`namesakes` the page uses.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import fold
from members.selectors import can_see

from ..models import Candidate
from ..workflow import CLOSED_STAGES
from .entry import NEUTRAL, Identity, _fmt, identify


@dataclass
class Namesake:
    """A candidate with the same folded name and birth date and no CCCD to tell them apart."""

    text: str
    link: str = ""  # the dossier, only inside the user's scope


@dataclass
class SamePerson:
    """What the register says about a person about to be entered."""

    identity: Identity  # the members' register: refusal, or a readmission
    dossier: str = ""  # a candidate holds the CCCD already: why no second dossier
    dossier_link: str = ""
    namesakes: list[Namesake] = field(default_factory=list)  # to confirm: another person?

    @property
    def refusal(self) -> str:
        return self.identity.refusal or self.dossier

    @property
    def field(self) -> str:
        return self.identity.field if self.identity.refusal else "citizen_id"


def _inside(user, candidate: Candidate) -> bool:
    return user is None or can_see(user, candidate.organisation)


def hold_person(full_name: str, birth_date: date | None) -> None:
    """Serialise the entries of one folded name and birth date until the caller's transaction
    ends, so a second look-up sees the first save (two namesakes saved at once would both pass
    it). A CCCD needs no lock: the unique index on candidates decides."""
    if connection.vendor != "postgresql" or not (full_name and birth_date):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                       [f"same_person|{fold(full_name)}|{birth_date.isoformat()}"])


def _dossier(candidate: Candidate) -> str:
    if candidate.stage in CLOSED_STAGES:
        return _("Người này đã có hồ sơ ở %(org)s (%(stage)s); không lập hồ sơ thứ hai. Hỏi "
                 "chi bộ đó hoặc Ban Tổ chức để xem lại hồ sơ cũ.") % {
            "org": candidate.organisation.name, "stage": candidate.get_stage_display()}
    return _("Người này đang có hồ sơ quần chúng ưu tú ở %(org)s (%(stage)s); không lập hồ sơ "
             "thứ hai. Hỏi chi bộ đang giữ hồ sơ hoặc Ban Tổ chức.") % {
        "org": candidate.organisation.name, "stage": candidate.get_stage_display()}


def find_same_person(user, *, citizen_id: str | None, full_name: str, birth_date: date | None,
                     organisation=None, exclude_pk: int | None = None) -> SamePerson:
    """Look for the person among members (by CCCD, then folded name and birth date) and
    candidates (by CCCD; namesakes by folded name and birth date). `organisation` is the branch
    the person is entered in; `exclude_pk` a candidate being edited. Three queries at most."""
    cid = citizen_id or None
    identity = identify(user, Candidate(full_name=full_name, birth_date=birth_date,
                                        citizen_id=cid,
                                        organisation_id=getattr(organisation, "pk", None)))
    found = SamePerson(identity=identity)
    if identity.refusal:
        return found
    candidates = Candidate.objects.select_related("organisation")
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    holder = candidates.filter(citizen_id=cid).first() if cid else None
    if holder is not None:
        if _inside(user, holder):
            found.dossier = _dossier(holder)
            found.dossier_link = reverse("recruitment:candidate_detail", args=[holder.pk])
        else:
            found.dossier = str(NEUTRAL)
        return found
    if not (full_name and birth_date):
        return found
    found.namesakes = namesakes(
        candidates.filter(search_name=fold(full_name), birth_date=birth_date)[:5],
        citizen_id=cid, covers=lambda org: user is None or can_see(user, org))
    return found


def namesakes(others: Iterable[Candidate], *, citizen_id: str | None,
              covers: Callable) -> list[Namesake]:
    """The candidates among `others` (same folded name and birth date) who may be the person
    entered with `citizen_id`: named and linked where `covers(organisation)`, else one neutral
    line for all of them."""
    found = []
    for other in others:
        if citizen_id and other.citizen_id:
            continue  # two different CCCDs are two different people
        if covers(other.organisation):
            found.append(Namesake(
                text=_("%(name)s, sinh ngày %(day)s, %(org)s (%(stage)s)") % {
                    "name": other.full_name, "day": _fmt(other.birth_date),
                    "org": other.organisation.name, "stage": other.get_stage_display()},
                link=reverse("recruitment:candidate_detail", args=[other.pk])))
        elif not any(n.text == str(NEUTRAL) for n in found):
            found.append(Namesake(text=str(NEUTRAL)))
    return found


# Parameters per statement: SQLite's oldest limit is 999, PostgreSQL takes far more.
_NAMES_PER_QUERY = 900


def candidates_named(names: Iterable[str], queryset=None
                     ) -> dict[tuple[str, date], list[Candidate]]:
    """The candidates of the whole tree (or of `queryset`) whose folded name is one of `names`
    (folded), keyed by folded name and birth date: one query for a chunk of an import on
    PostgreSQL (on SQLite, one per 899 names, its limit of parameters), never one per row."""
    names = sorted({n for n in names if n})
    qs = Candidate.objects.select_related("organisation") if queryset is None else queryset
    per_query = max((connection.features.max_query_params or 20000) - 100, 100)
    found: dict[tuple[str, date], list[Candidate]] = {}
    for i in range(0, len(names), per_query):
        for c in qs.filter(search_name__in=names[i:i + per_query]).order_by("pk"):
            found.setdefault((c.search_name, c.birth_date), []).append(c)
    return found
