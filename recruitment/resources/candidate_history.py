"""The history walk of a candidates file: what `services.perform` does step by step, done in
memory for every row so the whole file is written with bulk inserts — with the membership
movements `record_movement` would have written for the member a ceremony makes (admitted or
readmitted, removed or died)."""
from django.utils.translation import gettext as _

from members.models import (
    PATH_STEP,
    Member,
    MemberStatus,
    Movement,
    MovementKind,
    Organisation,
    OrganisationKind,
    fold,
)

from .. import rules as R
from ..calendar import WorkingCalendar
from ..models import Candidate, Decision, DecisionKind, StageEvent
from ..models import Stage as S
from ..workflow import CLOSED_STAGES, DEADLINES, get_action
from .candidate_columns import (
    ADDED,
    CER,
    CERT_D,
    CERT_N,
    CID,
    CID_TAKEN,
    DEC_D,
    DEC_N,
    END_ACTIONS,
    END_D,
    END_LABELS,
    END_S,
    GRASS,
    HELPER,
    HELPER_NOTE,
    IMPORT_RULES,
    IMPORTED_NOTE,
    NEWM,
    OFF,
    REC_D,
    REC_N,
    SENT_NOTE,
    STEP_COLUMNS,
    VOTE,
    N,
    fill_categories,
)


class CandidateHistory:
    """The new steps of each row taken on its candidate in memory, as the services would have
    taken them one by one: the StageEvents, the decisions and the member a ceremony makes,
    each step judged by the rules in force on its date."""

    def __init__(self, batch):
        self.batch = batch
        self.params = R.Parameters()
        self.calendar = WorkingCalendar.load()
        self._texts = {}
        batch.state.setdefault("movements", [])

    def load(self, rows, orgs):
        """The look-ups the steps need: members a ceremony may find, and who decides."""
        self._load_members(rows)
        self._load_deciders(orgs)

    def _load_members(self, rows):
        """Members a ceremony may already have (a members file loaded first): any holder of
        the CCCD, and by name only members inside the scope."""
        with_ceremony = [r for r in rows if r.values.get(CER)]
        qs = Member.objects.select_related("organisation")
        self.members_by_cid = {m.citizen_id: m for m in self.batch.fetch(
            qs, "citizen_id", {r.values.get(CID) for r in with_ceremony})}
        self.members_by_name = {}
        for m in self.batch.fetch(qs, "full_name", {r.values[N] for r in with_ceremony}):
            if self.batch.scope.covers(m.organisation):
                self.members_by_name.setdefault((m.full_name, m.birth_date), []).append(m)
        ids = [m.pk for m in self.members_by_cid.values()] + [
            m.pk for ms in self.members_by_name.values() for m in ms]
        self.taken = {c.member_id for c in self.batch.fetch(
            Candidate.objects.only("member_id"), "member_id", ids)}

    def _load_deciders(self, orgs):
        """The committee that decides an admission: the nearest upper committee (Đảng bộ cấp
        trên) above the branch, or the top of the tree."""
        def prefixes(org):
            return [org.path[:i] for i in range(PATH_STEP, len(org.path), PATH_STEP)]

        paths = {p for o in orgs.values() for p in prefixes(o)}
        ancestors = {o.path: o for o in self.batch.fetch(Organisation.objects.all(), "path",
                                                          paths)}
        self.decider = {}
        for code, org in orgs.items():
            chain = [ancestors[p] for p in prefixes(org) if p in ancestors]
            upper = [a for a in chain if a.kind == OrganisationKind.UPPER_COMMITTEE]
            self.decider[code] = upper[-1] if upper else (chain[0] if chain else org)

    def walk(self, row, c, v, steps, new_helper) -> bool:
        """Take the new steps on `c`. `new_helper`: a helper named for the first time, which
        moves a candidate still in the source pool on (the file has no date for it: the
        event takes the date of the step before)."""
        b, before = self.batch, len(self.batch.errors)
        fill_categories(b, row, c, v)
        if c.stage in CLOSED_STAGES and steps:
            b.error(row, STEP_COLUMNS[steps[0]][0], _(
                "hồ sơ đã kết thúc (%(stage)s); không ghi thêm bước nào.") % {
                "stage": c.get_stage_display()})
            return False
        state = {"row": row, "c": c, "v": v, "member": c.membership}
        if new_helper is not None and c.pk and c.stage == S.SOURCE_POOL:
            self._assign_helper(state, new_helper)
        for action in steps:
            if action == "end":
                self._end(state)
            else:
                getattr(self, "_" + action)(state)
            if action == "add_to_pool" and new_helper is not None:
                self._assign_helper(state, new_helper)
        if len(b.errors) == before:
            rule = DEADLINES.get(c.stage)
            start = getattr(c, rule[0]) if rule else None
            c.due_date = (self.calendar.add_working_days(start, self.params.get(rule[1], start))
                          if start else None)
            return True
        return False

    def _event(self, state, action_code, day, column, number="", note=None):
        c, row = state["c"], state["row"]
        action = get_action(action_code)
        ctx = R.Context(c, day, {}, params=self.params)
        ctx.__dict__["calendar"] = self.calendar
        # Dates in the future were refused with the row's errors; every step is checked for
        # DATE_ORDER and its own rules.
        findings = R.evaluate_only(("DATE_ORDER", *IMPORT_RULES.get(action_code, ())), ctx)
        for finding in findings:
            self.batch.finding(row, column, finding)
        from_stage = c.stage
        c.stage = action.leaves(c.stage)
        if action.to_stage is not None:
            c.stage_date = day
        self.batch.state["events"].append(StageEvent(
            candidate=c, action=action.code, from_stage=from_stage, to_stage=c.stage,
            event_date=day, document_form=self._text(action.document),
            document_number=number or "", note=self._text(IMPORTED_NOTE if note is None else note),
            warnings=[f.as_dict() for f in findings], actor=self.batch.actor, imported=True,
            organisation_id=c.organisation_id))
        return findings

    def _text(self, lazy) -> str:
        """Translated text, looked up once per planner (tens of thousands of events)."""
        key = id(lazy)  # hashing a lazy string would translate it every time
        if key not in self._texts:
            self._texts[key] = str(lazy or "")
        return self._texts[key]

    def _add_to_pool(self, s):
        self._event(s, "add_to_pool", s["v"][ADDED], ADDED)

    def _assign_helper(self, s, helper):
        s["c"].helper = helper
        self._event(s, "assign_helper", s["c"].stage_date, HELPER, note=HELPER_NOTE)

    def _record_awareness_certificate(self, s):
        c, v = s["c"], s["v"]
        c.awareness_cert_number, c.awareness_cert_date = v[CERT_N] or "", v[CERT_D]
        c.awareness_cert_expires = R.add_months(
            v[CERT_D], self.params.get("CERT_VALID_MONTHS", v[CERT_D]))
        self._event(s, "record_awareness_certificate", v[CERT_D], CERT_D, number=v[CERT_N])

    def _branch_vote(self, s):
        self._event(s, "branch_vote", s["v"][VOTE], VOTE)
        s["c"].branch_vote_date = s["v"][VOTE]

    def _grassroots_resolution(self, s):
        self._event(s, "grassroots_resolution", s["v"][GRASS], GRASS)
        s["c"].grassroots_resolution_date = s["v"][GRASS]

    def _send_to_upper(self, s):
        """A grassroots branch sends its dossier to the upper committee itself; the file has
        no date for it: the event takes the branch vote's."""
        self._event(s, "send_to_upper", s["c"].branch_vote_date, VOTE, note=SENT_NOTE)

    def _approve_admission(self, s):
        c, v = s["c"], s["v"]
        if (c.organisation.kind == OrganisationKind.GRASSROOTS_BRANCH
                and c.stage == S.BRANCH_VOTED):
            self._send_to_upper(s)
        self._event(s, "approve_admission", v[DEC_D], DEC_D, number=v[DEC_N])
        c.decision_number, c.decision_date = v[DEC_N] or "", v[DEC_D]
        self._decision(s, DecisionKind.ADMISSION, v[DEC_N], v[DEC_D])

    def _decision(self, s, kind, number, day):
        if number:
            c = s["c"]
            self.batch.state["decisions"].append(Decision(
                candidate=c, kind=kind, number=number, decision_date=day,
                decided_by=self.decider[c.organisation.code]))

    def _hold_ceremony(self, s):
        c, v, row = s["c"], s["v"], s["row"]
        self._event(s, "hold_ceremony", v[CER], CER)
        c.ceremony_date = v[CER]
        c.probation_end = R.add_months(v[CER], self.params.get("PROBATION_MONTHS", v[CER]))
        if c.former_member_id:  # readmission: the same member record comes back, on probation
            member = c.former_member
            member.status, member.official_date = MemberStatus.PROBATIONARY, None
            member.organisation, member.left_date = c.organisation, None
            member.left_reason = member.left_document = ""
            self._touch(member)
            s["member"] = member
            self._movement(member, MovementKind.READMITTED, c, v[CER])
            return
        member = self._member_for(row, c)
        if member is None:
            return
        member.admitted_date, member.status = v[CER], MemberStatus.PROBATIONARY
        member.official_date = None
        c.member, s["member"] = member, member
        if member.pk is None:  # a member loaded from a members file is on its list already
            self._movement(member, MovementKind.ADMITTED, c, v[CER])

    def _movement(self, member, kind, c, day, note=None):
        """The dated movement `record_movement` would have written, for the bulk insert (the
        member may not be saved yet: the insert comes after the members')."""
        joins = kind in (MovementKind.ADMITTED, MovementKind.READMITTED)
        self.batch.state["movements"].append(Movement(
            member=member, kind=kind, date=day,
            to_organisation=c.organisation if joins else None,
            from_organisation=None if joins else member.organisation,
            document_number=(c.decision_number or "") if joins else "",
            decision_date=c.decision_date if joins else None,
            note=self._text(IMPORTED_NOTE) if note is None else note, actor=self.batch.actor,
            imported=True))

    def _member_for(self, row, c):
        """The member record the ceremony made: one already loaded from a members file (same
        CCCD, or same name and birth date, not yet tied to a candidate), or a new one."""
        b = self.batch
        found = [self.members_by_cid[c.citizen_id]] if c.citizen_id in self.members_by_cid \
            else [m for m in self.members_by_name.get((c.full_name, c.birth_date), [])
                  if m.pk not in self.taken]
        if len(found) > 1:
            b.error(row, N, _("có %(n)s đảng viên cùng họ tên và ngày sinh; không biết nối hồ sơ "
                              "với đảng viên nào.") % {"n": len(found)})
            return None
        if found:
            member = found[0]
            if member.pk in self.taken or not b.scope.covers(member.organisation):
                # Only a CCCD match gets here (names are matched in the scope, untaken).
                b.error(row, CID, b.taken_elsewhere(CID_TAKEN))
                return None
            self.taken.add(member.pk)
            member.citizen_id = member.citizen_id or c.citizen_id
            b.state["changed_members"].append(member)
            return member
        member = Member(
            full_name=c.full_name, search_name=fold(c.full_name), birth_date=c.birth_date,
            sex=c.sex, ethnicity=c.ethnicity, religion=c.religion, citizen_id=c.citizen_id,
            organisation=c.organisation, education=c.education, qualification=c.qualification,
            profession=c.profession)
        b.state["new_members"].append(member)
        return member

    def _record_new_member_certificate(self, s):
        self._event(s, "record_new_member_certificate", s["v"][NEWM], NEWM)
        s["c"].new_member_cert_date = s["v"][NEWM]

    def _approve_recognition(self, s):
        c, v = s["c"], s["v"]
        official, day = v[OFF], v[REC_D] or v[OFF]
        ctx = R.Context(c, official, {}, params=self.params)
        for finding in R.evaluate_only(("RECOGNITION_WINDOW",), ctx):
            self.batch.finding(s["row"], OFF, finding)
        self._event(s, "approve_recognition", day, REC_D if v[REC_D] else OFF, number=v[REC_N])
        c.recognition_decision_number, c.recognition_decision_date = v[REC_N] or "", day
        self._decision(s, DecisionKind.RECOGNITION, v[REC_N], day)
        member = s["member"]
        if member is not None:
            member.status, member.official_date = MemberStatus.OFFICIAL, official
            self._touch(member)

    def _end(self, s):
        c, v = s["c"], s["v"]
        stage = v[END_S]
        note = _("%(status)s (nhập từ dữ liệu cũ).") % {"status": END_LABELS[stage]}
        self._event(s, END_ACTIONS[stage], v[END_D], END_D, note=note)
        c.end_reason = note
        member = s["member"]
        if stage in (S.REMOVED, S.DIED) and member is not None:
            member.status = MemberStatus.REMOVED if stage == S.REMOVED else MemberStatus.DIED
            member.left_date = v[END_D]
            self._touch(member)
            self._movement(member, MovementKind.REMOVED if stage == S.REMOVED
                           else MovementKind.DIED, c, v[END_D], note=note)

    def _touch(self, member):
        """An existing member changed by a later step goes to the bulk update once."""
        changed = self.batch.state["changed_members"]
        if member.pk and not any(m is member for m in changed):
            changed.append(member)
