"""Plans a candidates file: finds each row's dossier, helper and branch in bulk, checks the row
(structure, steps already recorded, the roles its new steps need) and hands the new steps to
the history walk."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member, OrganisationKind, fold, subtree_q

from ..models import Candidate, StageEvent
from ..models import Stage as S
from ..services.duplicates import candidates_named, namesakes
from ..services.entry import judge
from ..workflow import get_action
from .candidate_columns import (
    ADDED,
    CER,
    CERT_D,
    CERT_N,
    CID,
    CID_TAKEN,
    DATE_COLUMNS,
    DEC_D,
    DEC_N,
    END_ACTIONS,
    END_D,
    END_LABELS,
    END_S,
    GRASS,
    HELPER,
    IDENTITY,
    NEWM,
    OFF,
    ORG,
    REC_D,
    REC_N,
    STEP_COLUMNS,
    STEPS,
    B,
    N,
)
from .candidate_history import CandidateHistory

SAME_NAME = gettext_lazy(
    "đã có người cùng họ tên và ngày sinh%(who)s. Nếu là cùng một người, đừng lập hồ sơ thứ "
    "hai: bỏ dòng này. Nếu là người khác, xác nhận nhập tệp là bạn đã kiểm tra.")
SAME_ROW = gettext_lazy(
    "cùng họ tên và ngày sinh với dòng %(first)s, không có hai số CCCD để phân biệt. Nếu là "
    "cùng một người, bỏ một dòng; nếu là hai người, xác nhận nhập tệp là bạn đã kiểm tra.")


def _fmt(day):
    return day.strftime("%d/%m/%Y")


def _lower_first(text):
    """A sentence as the tail of “dòng N, cột X: …”."""
    return text[:1].lower() + text[1:]


class CandidatePlanner:
    """Plans a candidates file: every look-up in a few bulk queries, then each row checked and
    its history built in memory (objects for bulk_create) by a `CandidateHistory`.

    One planner plans every chunk of a file (`plan` once per chunk, `batch.rows` being the
    chunk's). Each chunk is looked up against the database, which holds the chunks before it
    already written: what they created is left out of the look-ups, so a row is judged as
    it would be against the database before the file."""

    def __init__(self, resource, batch):
        self.resource, self.batch = resource, batch
        self.history = CandidateHistory(batch)

    def plan(self):
        b = self.batch
        b.state.update(new=[], changed=[], events=[], decisions=[], new_members=[],
                       changed_members=[], movements=[])
        rows = b.good_rows()
        self.orgs = b.branches_for(rows, ORG)
        self._load_existing(rows)
        self._load_helpers(rows)
        self._load_register(rows)
        self.history.load(rows, self.orgs)
        for n, row in enumerate(b.good_rows(), start=1):
            self._plan_row(row)
            if n % 1000 == 0:
                b.progress(n, len(rows))

    # Look-ups: one query (per chunk of keys) for each table.

    def _load_existing(self, rows):
        b = self.batch
        qs = Candidate.objects.select_related("organisation", "helper", "member", "former_member")
        # Every holder of a CCCD (it is unique: the row can only update that dossier); by
        # name, only people inside the scope: outside it nobody is found.
        self.by_cid = {c.citizen_id: c for c in b.fetch(
            qs, "citizen_id", {r.values.get(CID) for r in rows})}
        # By folded name and birth date, the whole tree's candidates: a row without CCCD is the
        # dossier of the same written name inside the scope; a new row meets the others as
        # namesakes to confirm (as on the page). The ones this file created are not looked at.
        self.by_name, keyed = {}, {r.values[N] for r in rows if not r.values.get(CID)}
        created = self._created("candidates")
        self.named = candidates_named((fold(r.values[N]) for r in rows), qs)
        for key, found in self.named.items():
            self.named[key] = found = [c for c in found if c.pk not in created]
            for c in found:
                if c.full_name in keyed and b.scope.covers(c.organisation):
                    self.by_name.setdefault((c.full_name, c.birth_date), []).append(c)
        ids = [c.pk for c in self.by_cid.values()] + [
            c.pk for found in self.by_name.values() for c in found]
        self.in_app = set(b.fetch(
            StageEvent.objects.filter(imported=False).order_by().values_list(
                "candidate_id", flat=True).distinct(), "candidate_id", ids))

    def _created(self, what) -> set:
        """The ids of the candidates or members this file created in the chunks before."""
        return self.batch.kept.get("created", {}).get(what, set())

    def _scoped_members(self):
        qs = Member.objects.select_related("organisation")
        if self.batch.scope.everything:
            return qs
        return qs.filter(subtree_q(self.batch.scope.roots, prefix="organisation__"))

    def _load_helpers(self, rows):
        values = {r.values.get(HELPER) for r in rows} - {None}
        qs, created = self._scoped_members(), self._created("members")
        self.helpers_by_card = {m.card_number: m for m in self.batch.fetch(
            qs, "card_number", values) if m.pk not in created}
        self.helpers_by_name = {}
        for m in self.batch.fetch(qs, "full_name", values - set(self.helpers_by_card)):
            if m.pk not in created:
                self.helpers_by_name.setdefault(m.full_name, []).append(m)

    def _load_register(self, rows):
        """The members of the whole tree a new person of the file may be (readmission
        look-up, as on the page): by CCCD, and by folded name (birth date checked per row).
        Rows with a ceremony date are left to the ceremony, which links its member."""
        rows = [r for r in rows if not r.values.get(CER)]
        qs, created = Member.objects.select_related("organisation"), self._created("members")
        self.register_by_cid = {m.citizen_id: m for m in self.batch.fetch(
            qs, "citizen_id", {r.values.get(CID) for r in rows}) if m.pk not in created}
        self.register_by_name = {}
        for m in self.batch.fetch(qs, "search_name", {fold(r.values[N]) for r in rows}):
            if m.pk not in created:
                self.register_by_name.setdefault((m.search_name, m.birth_date), []).append(m)

    # One row.

    def _identity(self, row, v, branch):
        """The readmission look-up of a new row: (ok, the former member it brings back)."""
        b = self.batch
        if v.get(CER):
            return True, None
        by_cid = self.register_by_cid.get(v[CID]) if v.get(CID) else None
        identity = judge(
            citizen_id=v.get(CID), by_cid=by_cid,
            by_name=[] if by_cid else self.register_by_name.get((fold(v[N]), v[B]), []),
            covers=b.scope.covers, branch_id=branch.pk)
        column = CID if identity.by_cid else N
        if identity.refusal:
            # A CCCD held outside the scope gets the one answer any unusable number gets.
            outside = by_cid is not None and not b.scope.covers(by_cid.organisation)
            b.error(row, column, b.taken_elsewhere(CID_TAKEN) if outside
                    else _lower_first(identity.refusal))
            return False, None
        if identity.notice:
            b.warn(row, column, _lower_first(identity.notice))
        return True, identity.former

    def _namesakes(self, row, v):
        """A new row whose folded name and birth date another person has (a candidate in the
        database, or an earlier row of the file), with no two CCCDs to tell them apart, is a
        warning: the preview shows it, and confirming the import is the user's word that this
        is another person. Outside the scope it names nobody."""
        b, key = self.batch, (fold(v[N]), v[B])
        same = namesakes(self.named.get(key, []), citizen_id=v.get(CID), covers=b.scope.covers)
        if same:
            inside = [n.text for n in same if n.link]
            b.warn(row, N, SAME_NAME % {"who": _(": %(who)s") % {"who": "; ".join(inside)}
                                        if inside else _(" trong hệ thống; liên hệ Ban Tổ chức")})
        earlier = b.kept.setdefault("names", {})
        if key in earlier:
            first, cid = earlier[key]
            if not (cid and v.get(CID)):
                b.warn(row, N, SAME_ROW % {"first": first})
        else:
            earlier[key] = (row.number, v.get(CID))

    def _match(self, row):
        v = row.values
        if v.get(CID):
            found = self.by_cid.get(v[CID])
            if found is not None and not self.batch.scope.covers(found.organisation):
                self.batch.error(row, CID, self.batch.taken_elsewhere(CID_TAKEN))
                return False
            return found
        found = self.by_name.get((v[N], v[B]), [])
        if len(found) > 1:
            self.batch.error(row, N, _("có %(n)s quần chúng cùng họ tên và ngày sinh; hãy ghi số "
                                       "CCCD.") % {"n": len(found)})
            return False
        return found[0] if found else None

    def _helper(self, row, branch):
        text = row.values.get(HELPER)
        if not text:
            return None
        if text in self.helpers_by_card:
            return self.helpers_by_card[text]
        found = self.helpers_by_name.get(text, [])
        if len(found) > 1:
            found = [m for m in found if m.organisation_id == branch.pk]
        if len(found) == 1:
            return found[0]
        self.batch.error(row, HELPER, _(
            "không tìm thấy đảng viên có số thẻ hoặc họ tên “%(v)s” trong phạm vi của bạn."
        ) % {"v": text} if not found else _(
            "có nhiều đảng viên tên “%(v)s”; hãy ghi số thẻ đảng viên.") % {"v": text})
        return False

    def _plan_row(self, row):
        b, res = self.batch, self.resource
        branch = self.orgs.get(row.values[ORG])
        if branch is None:
            return
        existing = self._match(row)
        if existing is False:
            return
        helper = self._helper(row, branch)
        if helper is False:
            return
        stored = res.render(existing) if existing else {}
        values = self._merged(row, stored)
        if not (b.not_future(row, DATE_COLUMNS) & self._structure_ok(row, values)):
            return
        if existing is not None and not res.differs(existing, row, b.present):
            b.unchanged += 1
            return
        if existing is not None and existing.pk in self.in_app:
            changed = next(c for c in res.headers()
                           if c in b.present and c in stored and stored[c] != row.text[c])
            b.error(row, changed, _(
                "hồ sơ của quần chúng này đang được xử lý trên ứng dụng nên nhập tệp không sửa "
                "được; hãy ghi thay đổi trên trang hồ sơ của quần chúng."))
            return
        c = existing or Candidate(stage=S.SOURCE_POOL, stage_date=values[ADDED])
        new_steps = self._new_steps(row, stored, values)
        if new_steps is None:
            return
        if branch.kind == OrganisationKind.GRASSROOTS_BRANCH and (
                "grassroots_resolution" in new_steps):
            b.error(row, GRASS, _("%(org)s là chi bộ cơ sở, không có đảng ủy cơ sở xét: để "
                                  "trống cột này (hồ sơ gửi thẳng cấp ủy cấp trên).") % {
                "org": branch.name})
            return
        helper_changes = HELPER in b.present and (helper.pk if helper else None) != c.helper_id
        if not self._may_take(row, branch, c, values, new_steps, helper_changes):
            return
        if existing is None:
            ok, c.former_member = self._identity(row, values, branch)
            if not ok:
                return
            self._namesakes(row, values)
        for column, attr in IDENTITY.items():
            if column in b.present or existing is None:
                setattr(c, attr, values.get(column) if values.get(column) is not None
                        else ("" if attr in ("education", "profession") else None))
        c.citizen_id = c.citizen_id or None
        c.search_name = fold(c.full_name)
        c.organisation = branch
        if existing is None:
            c.added_date = values[ADDED]
            c.plan_year = (values[DEC_D] or values[CER] or values[ADDED]).year
        new_helper = helper is not None and c.helper_id is None
        if HELPER in b.present:
            c.helper = helper
        if not self.history.walk(row, c, values, new_steps, helper if new_helper else None):
            return
        b.state["changed" if existing else "new"].append(c)
        if existing:
            b.will_change(row, stored)
        else:
            b.will_create(row)

    def _merged(self, row, stored):
        """The row's values; a column the file lacks keeps the stored value (a new row: the
        column's default, as for an empty cell)."""
        values = {}
        for column in self.resource.columns():
            name = column.column_name
            if name in self.batch.present or name not in stored:
                values[name] = row.values.get(name)
            else:
                values[name] = column.parse(stored[name])
        return values

    def _may_take(self, row, branch, c, values, steps, helper_changes) -> bool:
        """Whether the user's roles over the branch may take every new step of the row, as
        the workflow table lets them on the dossier's page; each step they may not take is
        an error on its column, naming the role it needs. A grassroots branch sends its
        dossier to the upper committee itself (send_to_upper); a withdrawal or a death is
        recorded by whoever holds the dossier at its stage then."""
        b, ok, stage = self.batch, True, c.stage
        grassroots_branch = branch.kind == OrganisationKind.GRASSROOTS_BRANCH
        wanted = []
        for step in steps:
            column = next((c for c in STEP_COLUMNS[step] if values.get(c)), STEP_COLUMNS[step][0])
            if step == "approve_admission" and grassroots_branch:
                wanted.append(("send_to_upper", column))
            wanted.append((END_ACTIONS[values[END_S]] if step == "end" else step, column))
        if helper_changes:
            wanted.append(("assign_helper", HELPER))
        for code, column in wanted:
            action = get_action(code)
            if code == "send_to_upper" and stage != S.BRANCH_VOTED:
                continue
            roles = action.roles_at(stage) if action.by_holder else action.roles
            stage = action.leaves(stage)
            needed = b.lacks(roles, branch)
            if needed:
                b.error(row, column, _("ghi bước “%(step)s” cần vai trò %(roles)s.") % {
                    "step": action.label, "roles": needed})
                ok = False
        return ok

    def _structure_ok(self, row, v) -> bool:
        b, before = self.batch, len(self.batch.errors)
        if v[ADDED] and v[B] and v[ADDED] <= v[B]:
            b.error(row, ADDED, _("ngày vào danh sách dự nguồn phải sau ngày sinh."))
        if v[CER] and not v[DEC_D]:
            b.error(row, DEC_D, _("có ngày kết nạp %(day)s nhưng thiếu ngày quyết định kết "
                                  "nạp.") % {"day": _fmt(v[CER])})
        if v[DEC_N] and not v[DEC_D]:
            b.error(row, DEC_D, _("có số quyết định kết nạp nhưng thiếu ngày quyết định."))
        if v[CERT_N] and not v[CERT_D]:
            b.error(row, CERT_D, _("có số giấy chứng nhận nhưng thiếu ngày cấp."))
        for column in (NEWM, OFF, REC_D, REC_N):
            if v[column] and not v[CER]:
                b.error(row, column, _("chưa có ngày kết nạp nên chưa thể có cột này."))
        if (v[REC_D] or v[REC_N]) and not v[OFF]:
            b.error(row, OFF, _("có quyết định công nhận nhưng thiếu ngày công nhận chính "
                                "thức."))
        if v[OFF] and v[CER] and v[OFF] < v[CER]:
            b.error(row, OFF, _("ngày công nhận chính thức trước ngày kết nạp."))
        if bool(v[END_S]) != bool(v[END_D]):
            b.error(row, END_D if v[END_S] else END_S,
                    _("trạng thái kết thúc và ngày kết thúc phải ghi cùng nhau."))
        if v[END_S] == S.REMOVED and not v[CER]:
            b.error(row, END_S, _("“Xóa tên” chỉ dùng cho đảng viên dự bị (cần ngày kết nạp)."))
        if v[END_S] in (S.WITHDRAWN, S.REJECTED) and v[CER]:
            b.error(row, END_S, _("đã kết nạp thì không thể “%(s)s”; đảng viên dự bị không "
                                  "đủ điều kiện thì ghi “Xóa tên”.") % {"s": END_LABELS[v[END_S]]})
        if v[END_S] and v[OFF]:
            b.error(row, END_S, _("đã công nhận chính thức thì không có trạng thái kết thúc."))
        return len(b.errors) == before

    def _new_steps(self, row, stored, values):
        """The steps this row adds. Steps already recorded must read the same (history is not
        rewritten by a file), and new steps can only follow them."""
        last_done, new = -1, []
        for index, (_action, columns) in enumerate(STEPS):
            done = any(stored.get(c) for c in columns)
            if done:
                changed = [c for c in columns if c in self.batch.present
                           and stored.get(c, "") != row.text.get(c, "")]
                if changed:
                    self.batch.error(row, changed[0], _(
                        "hồ sơ đã ghi “%(old)s”; lịch sử đã ghi không sửa được bằng nhập tệp."
                    ) % {"old": stored.get(changed[0]) or _("(trống)")})
                    return None
                last_done = index
            elif any(values.get(c) for c in columns):
                new.append(index)
        if new and new[0] < last_done:
            self.batch.error(row, STEPS[new[0]][1][0], _(
                "hồ sơ đã qua bước này; không bổ sung được một bước trước giai đoạn hiện tại."))
            return None
        return [STEPS[i][0] for i in new]
