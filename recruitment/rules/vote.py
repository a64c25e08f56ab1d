"""Rules on the votes: the branch's size, its two-thirds vote checked against its register,
the committee's vote and the partial committee's appraisal before it."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Stage
from .base import fail, rule

COUNT_LABELS = (("eligible", gettext_lazy("tổng số %(label)s")),
                ("present", gettext_lazy("số có mặt")),
                ("votes_for", gettext_lazy("số tán thành")))


def vote_counts(code, ctx, denominator_label):
    """The vote's numbers (eligible, present, for, against) and the findings that refuse them:
    a number missing or negative, more present than members, more votes than voters. A
    committee or branch of nobody is no vote at all."""
    d = ctx.data
    counts = [d.get(k) for k, _label in COUNT_LABELS]
    missing = [str(label) % {"label": denominator_label}
               for (_key, label), n in zip(COUNT_LABELS, counts, strict=True) if n is None]
    if missing:
        return None, [fail(code, _("Chưa ghi đủ số liệu biểu quyết: còn thiếu %(missing)s.") % {
            "missing": ", ".join(missing)})]
    eligible, present, votes_for = counts
    votes_against = d.get("votes_against") or 0
    if min(eligible, present, votes_for, votes_against) < 0:
        return None, [fail(code, _("Số liệu biểu quyết không được âm."))]
    if eligible < 1:
        return None, [fail(code, _(
            "Tổng số %(label)s phải ít nhất là 1: không có ai thì không có biểu quyết."
        ) % {"label": denominator_label})]
    if present > eligible:
        return None, [fail(code, _("Số có mặt (%(p)s) lớn hơn tổng số %(label)s (%(e)s).") % {
            "p": present, "e": eligible, "label": denominator_label})]
    if votes_for + votes_against > present:
        return None, [fail(code, _(
            "Số phiếu không hợp lệ: %(f)s tán thành, %(a)s không tán thành, %(p)s có mặt, tổng số "
            "%(label)s %(e)s."
        ) % {"f": votes_for, "a": votes_against, "p": present, "e": eligible,
             "label": denominator_label})]
    return (eligible, present, votes_for, votes_against), []


def reaches_two_thirds(eligible: int, votes_for: int) -> bool:
    """At least two thirds of all members (not of those present), in integers."""
    return 3 * votes_for >= 2 * eligible


def needed_for_two_thirds(eligible: int) -> int:
    return -(-2 * eligible // 3)


@rule("BRANCH_SIZE", "Chi bộ có ít nhất 3 đảng viên chính thức mới biểu quyết hợp lệ", hard=True,
      citation="Điều lệ Đảng, Điều 21, khoản 2; Điều 24, khoản 1")
def check_branch_size(ctx):
    eligible = ctx.data.get("eligible")
    minimum = ctx.param("BRANCH_MIN_OFFICIAL")
    if eligible is not None and eligible < minimum:
        return [fail("BRANCH_SIZE", _(
            "Chi bộ chỉ có %(n)s đảng viên chính thức, cần ít nhất %(min)s để biểu quyết hợp lệ."
        ) % {"n": eligible, "min": minimum})]
    return []


def _two_thirds(code, ctx, denominator_label):
    counts, findings = vote_counts(code, ctx, denominator_label)
    if findings:
        return findings
    eligible, _present, votes_for, _against = counts
    if not reaches_two_thirds(eligible, votes_for):
        return [fail(code, _(
            "Chỉ %(f)s/%(e)s %(label)s tán thành, chưa đạt 2/3 (cần ít nhất %(n)s)."
        ) % {"f": votes_for, "e": eligible, "n": needed_for_two_thirds(eligible),
             "label": denominator_label})]
    return []


@rule("BRANCH_VOTE", "Ít nhất 2/3 tổng số đảng viên chính thức của chi bộ tán thành", hard=True,
      citation="Điều lệ Đảng, Điều 4, khoản 3; Quy định 294-QĐ/TW, điểm 9.3.2")
def check_branch_vote(ctx):
    return _two_thirds("BRANCH_VOTE", ctx, _("đảng viên chính thức"))


@rule("BRANCH_REGISTER", "Số đảng viên chính thức khai trong biên bản khớp với danh sách "
      "đảng viên của chi bộ", hard=False, citation="Điều lệ Đảng, Điều 4, khoản 3")
def check_branch_register(ctx):
    eligible = ctx.data.get("eligible")
    registered = ctx.data.get("registered_official")
    if eligible is not None and registered is not None and eligible != registered:
        return [fail("BRANCH_REGISTER", _(
            "Biên bản ghi %(e)s đảng viên chính thức, danh sách đảng viên của chi bộ có %(r)s."
        ) % {"e": eligible, "r": registered})]
    return []


@rule("COMMITTEE_VOTE", "Ít nhất 2/3 tổng số cấp ủy viên tán thành", hard=True,
      citation="Điều lệ Đảng, Điều 4, khoản 3")
def check_committee_vote(ctx):
    return _two_thirds("COMMITTEE_VOTE", ctx, _("cấp ủy viên"))


@rule("PARTIAL_APPRAISAL", "Nơi có đảng bộ bộ phận, đảng ủy bộ phận thẩm định trước khi "
      "đảng ủy cơ sở xét (kết nạp: 7-KNĐ; công nhận chính thức: 14-KNĐ)", hard=True,
      citation="Hướng dẫn 38-HD/BTCTW, mẫu 7-KNĐ, 14-KNĐ")
def check_partial_appraisal(ctx):
    c = ctx.candidate
    partial = c.partial_committee
    if partial is None:
        return []
    if c.stage == Stage.AT_GRASSROOTS:
        return [fail("PARTIAL_APPRAISAL", _(
            "Chi bộ thuộc %(partial)s: cần ghi ý kiến thẩm định của đảng ủy bộ phận (7-KNĐ) trước."
        ) % {"partial": partial.name})]
    if c.stage == Stage.RECOGNITION_BRANCH_VOTED:
        return [fail("PARTIAL_APPRAISAL", _(
            "Chi bộ thuộc %(partial)s: cần ghi ý kiến thẩm định của đảng ủy bộ phận về công nhận "
            "đảng viên chính thức (14-KNĐ) trước."
        ) % {"partial": partial.name})]
    return []
