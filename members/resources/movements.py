"""The movements file: members' transfers, temporary membership, deaths, removals and
readmissions loaded from a spreadsheet. Each member's rows go through `record_movement` in date
order, as if typed on the member's page one after the other, so the import checks and changes
exactly what the pages do; a row already recorded (same member, kind and date) is left as it is.

The check runs the rows once in a transaction that is rolled back (so that every refused row
is reported in one pass, with the reason `record_movement` gives), then the engine applies
them for real."""
from itertools import groupby

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..models import Member, MemberStatus, Movement, MovementKind, Organisation, Role
from ..movements import MovementError, record_movement, write_present_rows
from .base import SpreadsheetResource
from .columns import ChoiceWidget, CodeWidget, Column, DateWidget

K = MovementKind
CARD, NAME, BORN, KIND, DAY, ORG, PLACE, DOC = (
    "Số thẻ đảng viên", "Họ và tên", "Ngày sinh", "Loại", "Ngày", "Mã tổ chức",
    "Nơi đi / nơi đến", "Số quyết định")

# The kinds of spec/import-format.md, the ones a file records.
FILE_KINDS = (K.TRANSFER_IN, K.TRANSFER_OUT, K.TRANSFER_WITHIN, K.TEMPORARY, K.DIED, K.REMOVED,
              K.EXPELLED, K.RESIGNED, K.READMITTED)
# Kinds that name the branch the member goes to, in `Mã tổ chức`.
WITH_BRANCH = (K.TRANSFER_IN, K.TRANSFER_WITHIN, K.READMITTED, K.TEMPORARY)
# Kinds that put someone on a branch's list who was not on the tree's list before.
ENTRIES = (K.TRANSFER_IN, K.READMITTED)
# The column to blame for a refusal of record_movement, by the form field it names.
COLUMN_OF = {"date": DAY, "to_organisation": ORG}


class MovementResource(SpreadsheetResource):
    slug = "movements"
    title = gettext_lazy("Biến động đảng viên")
    import_roles = (Role.ORG_DEPARTMENT,)

    card_number = Column(CARD, "member__card_number", example="01001234",
                         note=gettext_lazy("Nhận diện đảng viên; để trống thì ghi họ tên và "
                                           "ngày sinh."))
    full_name = Column(NAME, "member__full_name", example="Nguyễn Thị Lan")
    birth_date = Column(BORN, "member__birth_date", DateWidget(), example="17/05/1990")
    kind = Column(KIND, "kind", ChoiceWidget([(k.value, k.label) for k in FILE_KINDS]),
                  required=True, example=str(K.TRANSFER_WITHIN.label))
    date = Column(DAY, "date", DateWidget(), required=True, example="15/03/2024",
                  note=gettext_lazy("Ngày biến động có hiệu lực."))
    to_organisation = Column(
        ORG, "to_organisation", CodeWidget(Organisation, "code"), lookup=True,
        example="{branch}",
        note=gettext_lazy("Chi bộ đến: bắt buộc với Chuyển đến, Chuyển sinh hoạt nội bộ, Kết "
                          "nạp lại, Sinh hoạt tạm thời."))
    outside_place = Column(PLACE, "outside_place", example="Đảng bộ tỉnh Lâm Đồng",
                           note=gettext_lazy("Tổ chức đảng ngoài hệ thống (nơi đi hoặc nơi "
                                             "đến)."))
    document_number = Column(DOC, "document_number", example="15-GGT/ĐU")

    class Meta:
        model = Movement
        fields = ("card_number", "full_name", "birth_date", "kind", "date", "to_organisation",
                  "outside_place", "document_number")

    def export_queryset(self, user, params):
        members = selectors.search_members(user, **selectors.member_filters(params))
        return (Movement.objects.filter(member__in=members.values("pk"), kind__in=FILE_KINDS)
                .select_related("member", "to_organisation").order_by("member_id", "date", "pk"))

    def row_key(self, row):
        v = row.values
        if not v.get(KIND) or not v.get(DAY):
            return None
        if v.get(CARD):
            return CARD, ("card", v[CARD], v[KIND], v[DAY])
        if v.get(NAME) and v.get(BORN):
            return NAME, ("name", v[NAME].casefold(), v[BORN], v[KIND], v[DAY])
        return None

    # Planning: who each row is about, where they go, and whether it is already recorded.

    def plan(self, batch):
        rows = [r for r in batch.good_rows() if batch.not_future(r, (DAY, BORN))]
        members = self._members(batch, rows)
        moves = [r for r in rows if r.ok and r.values[KIND] in WITH_BRANCH]
        for row in moves:
            if not row.values.get(ORG):
                batch.error(row, ORG, _("cần mã chi bộ đến với loại “%(kind)s”.") % {
                    "kind": K(row.values[KIND]).label})
        # Rows refused for another cell still have their branch checked (every error at once).
        branches = batch.branches_for(
            [r for r in batch.rows if r.values.get(KIND) in WITH_BRANCH
             and (r.ok or r.values.get(ORG))], ORG, failed=False)
        recorded = {(m, k, d) for m, k, d in batch.fetch(
            Movement.objects.values_list("member_id", "kind", "date"), "member_id",
            {m.pk for m in members.values()})}
        todo = []
        for row in batch.good_rows():
            member = members[row.number]
            if (member.pk, row.values[KIND], row.values[DAY]) in recorded:
                batch.unchanged += 1
            else:
                todo.append((member, row, branches.get(row.values.get(ORG))))
        batch.state["todo"] = todo
        # The dry run: every refusal of record_movement, reported now; nothing stays. A member
        # with a row already refused is left out: their other rows would be judged without it.
        refused = {members[r.number].pk for r in batch.rows if not r.ok and r.number in members}
        with transaction.atomic():
            self._record(batch, [item for item in todo if item[0].pk not in refused])
            transaction.set_rollback(True)
        for _member, row, _branch in todo:
            batch.will_create(row)

    def _members(self, batch, rows) -> dict:
        """Row number → the member it names, inside the user's scope; the others are errors
        (a member outside the scope reads as not found, so the answer tells nothing of them)."""
        qs = Member.objects.select_related("organisation")
        cards = {r.values[CARD] for r in rows if r.values.get(CARD)}
        by_card = {m.card_number: m for m in batch.fetch(qs, "card_number", cards)
                   if batch.scope.covers(m.organisation)}
        by_name = {}
        names = {r.values[NAME] for r in rows if not r.values.get(CARD) and r.values.get(NAME)}
        for m in batch.fetch(qs, "full_name", names):
            if batch.scope.covers(m.organisation):
                by_name.setdefault((m.full_name, m.birth_date), []).append(m)
        found = {}
        for row in rows:
            v = row.values
            if v.get(CARD):
                member = by_card.get(v[CARD])
                if member is None:
                    batch.error(row, CARD, _("không có đảng viên nào số thẻ “%(card)s” trong "
                                             "phạm vi của bạn.") % {"card": v[CARD]})
                    continue
            elif v.get(NAME) and v.get(BORN):
                matches = by_name.get((v[NAME], v[BORN]), [])
                if len(matches) != 1:
                    batch.error(row, NAME, _(
                        "có %(n)s đảng viên cùng họ tên và ngày sinh; hãy ghi số thẻ đảng "
                        "viên.") % {"n": len(matches)} if matches else _(
                        "không có đảng viên nào tên “%(name)s”, sinh ngày %(born)s trong phạm "
                        "vi của bạn.") % {"name": v[NAME], "born": v[BORN].strftime("%d/%m/%Y")})
                    continue
                member = matches[0]
            else:
                batch.error(row, CARD if not v.get(NAME) else BORN, _(
                    "cần số thẻ đảng viên, hoặc họ và tên cùng ngày sinh, để biết là đảng viên "
                    "nào."))
                continue
            found[row.number] = member
        return found

    # Recording: each member's rows in date order through record_movement.

    def _record(self, batch, todo):
        ordered = sorted(todo, key=lambda i: (i[0].pk, i[1].values[DAY], i[1].number))
        for _pk, items in groupby(ordered, key=lambda i: i[0].pk):
            items = list(items)
            self._prepare(items[0][0], items[0][1].values[KIND])
            for member, row, branch in items:
                v = row.values
                try:
                    record_movement(member, v[KIND], v[DAY], actor=batch.actor,
                                    to_organisation=branch,
                                    outside_place=v.get(PLACE) or "",
                                    document_number=v.get(DOC) or "", imported=True)
                except MovementError as err:
                    batch.error(row, COLUMN_OF.get(err.field, KIND), err.message)
                    break  # the member's later rows would be judged on a wrong state

    @staticmethod
    def _prepare(member, first_kind):
        """Give a member with no history of their own the baseline their rows build on.

        A member known only from a list (no movement, or only the imported "present since"
        row) whose first row brings them into the tree was not on the list before that date:
        the baseline goes and the member is off the list until the entry. Any other member
        without movements gets the baseline first."""
        kinds = list(Movement.objects.filter(member=member).values_list("kind", "imported")[:2])
        if first_kind not in ENTRIES:
            if not kinds:
                write_present_rows([member])
            return
        if kinds not in ([], [(K.PRESENT, True)]):
            return
        # Movements are never deleted (Movement.delete refuses): this one row is the guess
        # made when the member was loaded from a list, and the file now says when and how
        # they came onto it, so the guess is replaced by what happened.
        Movement.objects.filter(member=member, kind=K.PRESENT, imported=True).delete()
        # record_movement reads the member afresh and refuses an entry for someone on the
        # list; off the list they were, until this entry (which sets the status again).
        Member.objects.filter(pk=member.pk).update(status=MemberStatus.TRANSFERRED_OUT)

    def apply(self, batch):
        self._record(batch, batch.state["todo"])
