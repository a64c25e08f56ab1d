"""One form for a dossier that already exists on paper: the person (the entry form) and each
step done on paper up to sending the dossier up, every section the step's own form (`FORMS`),
so that the same field checks, the same rules and the same `perform` apply as step by step.

A section the user left empty was not done on paper; the steps done are the first sections,
in order, and a gap before a filled section is an error on the gap.
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..models import Candidate, Relation
from ..rules import today
from ..services.pipeline import registered_official
from ..workflow import get_action, route_facts
from .pipeline import FORMS

# The straight path, from the source pool to the dossier sent up, in the order it is taken.
STEPS = ("assign_helper", "record_awareness_certificate", "record_application",
         "add_verification", "certify_history", "record_introductions", "record_opinions",
         "branch_vote", "send_up")
# Who a dossier usually verifies, one row each; the blank rows are for in-laws and children.
VERIFICATION_ROWS = (Relation.SELF, Relation.FATHER, Relation.MOTHER, "", "", "", "")
GAP = _("Các bước sau đã được ghi, nên cần ghi cả bước này (hồ sơ làm theo thứ tự các bước).")
VERIFY_FIRST = _("Cần ghi ít nhất một yêu cầu thẩm tra lý lịch trước khi xác nhận lý lịch.")


def _posted(form) -> bool:
    """The user wrote something in this part of the page: a value other than the one the page
    offered (a box ticked counts; the preset relation of a verification row does not)."""
    for name, form_field in form.fields.items():
        value = form.data.get(form.add_prefix(name), "")
        offered = form.get_initial_for_field(form_field, name)
        offered = "" if offered is None else str(offered)
        if isinstance(value, str) and value.strip() and value.strip() != offered:
            return True
    return False


@dataclass
class Section:
    """One step of the paper file: its action and its form(s) (several rows for the
    verifications)."""

    code: str
    forms: list = field(default_factory=list)
    error: str = ""  # about the section as a whole (a gap in the steps)

    @property
    def action(self):
        return get_action(self.code)

    @property
    def title(self):
        return self.action.label

    @property
    def filled(self) -> bool:
        return any(f.is_bound for f in self.forms)

    def filled_forms(self) -> list:
        return [f for f in self.forms if f.is_bound]

    @property
    def has_errors(self) -> bool:
        return bool(self.error) or any(f.errors for f in self.filled_forms())

    @property
    def more_rows_open(self) -> bool:
        """The rows after the first three (in-laws, children) show when one was written."""
        return any(f.is_bound for f in self.forms[3:])

    @property
    def is_rows(self) -> bool:
        return self.code == "add_verification"


def _section_form(code, data, *, candidate, user, prefix, relation=""):
    form = _make(code, data, candidate=candidate, user=user, prefix=prefix, relation=relation)
    if form.is_bound and not _posted(form):
        # Not done on paper: shown empty again, without the "required" of a sent form.
        form = _make(code, None, candidate=candidate, user=user, prefix=prefix,
                     relation=relation)
    return form


def _make(code, data, *, candidate, user, prefix, relation):
    action = get_action(code)
    form = FORMS[code](data, candidate=candidate, action=action, user=user, prefix=prefix,
                       initial={"relation": relation} if relation else None)
    # A paper already has its own number: the register's next one would be a wrong guess,
    # and an offered value would make an untouched section look filled.
    if "document_number" in form.fields:
        form.fields["document_number"].initial = None
    if code == "branch_vote":  # the register's count today, offered as on the step's page
        form.fields["eligible"].initial = registered_official(candidate, today())
    if "note" in form.fields and not form.fields["note"].required:
        del form.fields["note"]
    if code == "add_verification":
        # On paper the answer came before the history was certified: asked for with the row.
        form.fields["event_date"].label = _("Ngày gửi yêu cầu")
        form.fields["answered_date"].label = _("Ngày trả lời")
        form.fields["conclusion"].label = _("Kết luận")
        # A blank row posts no relation (a select without a blank choice posts its first).
        form.fields["relation"].choices = [("", _("— Chọn —")), *Relation.choices]
    return form


def build_sections(data, *, candidate: Candidate, user) -> list[Section]:
    """The sections of the page for a dossier in `candidate`'s branch (unsaved on a new page;
    the saved candidate when the page is sent, so that the member choices and the date checks
    read the dossier itself)."""
    facts = route_facts(candidate.organisation) if candidate.organisation_id else frozenset()
    sections = []
    for code in STEPS:
        if code == "send_up" and candidate.organisation_id and \
                not get_action("send_up").fits(facts):
            code = "send_to_upper"  # a grassroots branch sends the dossier to the upper level
        if code == "add_verification":
            rows = [_section_form(code, data, candidate=candidate, user=user, prefix=f"v{i}",
                                  relation=relation)
                    for i, relation in enumerate(VERIFICATION_ROWS)]
            sections.append(Section(code, rows))
        else:
            sections.append(Section(code, [_section_form(code, data, candidate=candidate,
                                                         user=user, prefix=code)]))
    return sections


def steps_done(sections: list[Section]) -> list[Section]:
    """The sections the user filled, in order. A gap (an empty section before a filled one)
    is an error on the gap; an empty verification list before the history's certification
    is one too."""
    last = max((i for i, s in enumerate(sections) if s.filled), default=-1)
    for section in sections[:last]:
        if not section.filled:
            section.error = VERIFY_FIRST if section.is_rows else GAP
    return sections[:last + 1]


def valid(sections: list[Section]) -> bool:
    """Every filled form passes its own checks (run on all of them, to say every error at
    once); unfilled rows of the verification list are left out."""
    ok = True
    for section in sections:
        for form in section.filled_forms():
            ok = form.is_valid() and ok
    return ok and not any(s.error for s in sections)
