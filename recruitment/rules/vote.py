"""Rules on the votes: the branch's size, its two-thirds vote checked against its register,
the committee's vote and the partial committee's appraisal before it."""
from django.utils.translation import gettext as _

from .base import fail, rule


def _vote_counts(ctx):
    d = ctx.data
    return d.get("eligible"), d.get("present"), d.get("votes_for"), d.get("votes_against") or 0


@rule("BRANCH_SIZE", "Chi bộ có ít nhất 3 đảng viên chính thức mới biểu quyết hợp lệ", hard=True,
      citation="Điều lệ Đảng, Điều 4, khoản 3")
def check_branch_size(ctx):
    eligible = ctx.data.get("eligible")
    minimum = ctx.param("BRANCH_MIN_OFFICIAL")
    if eligible is not None and eligible < minimum:
        return [fail("BRANCH_SIZE", _(
            "Chi bộ chỉ có %(n)s đảng viên chính thức, cần ít nhất %(min)s để biểu quyết hợp lệ."
        ) % {"n": eligible, "min": minimum})]
    return []


def _two_thirds(code, ctx, denominator_label):
    eligible, present, votes_for, votes_against = _vote_counts(ctx)
    if eligible is None or votes_for is None:
        return []
    if present is not None and present > eligible:
        return [fail(code, _("Số có mặt (%(p)s) lớn hơn tổng số %(label)s (%(e)s).") % {
            "p": present, "e": eligible, "label": denominator_label})]
    if votes_for > eligible or (present is not None and votes_for + votes_against > present):
        return [fail(code, _(
            "Số phiếu không hợp lệ: %(f)s tán thành, %(a)s không tán thành, %(p)s có mặt, tổng số "
            "%(label)s %(e)s."
        ) % {"f": votes_for, "a": votes_against, "p": present, "e": eligible,
             "label": denominator_label})]
    if 3 * votes_for < 2 * eligible:
        needed = -(-2 * eligible // 3)
        return [fail(code, _(
            "Chỉ %(f)s/%(e)s %(label)s tán thành, chưa đạt 2/3 (cần ít nhất %(n)s)."
        ) % {"f": votes_for, "e": eligible, "n": needed, "label": denominator_label})]
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
      "đảng ủy cơ sở xét", hard=True, citation="Hướng dẫn 38-HD/BTCTW, mẫu 7-KNĐ")
def check_partial_appraisal(ctx):
    c = ctx.candidate
    if c.partial_committee is not None and c.stage != "partial_appraised":
        return [fail("PARTIAL_APPRAISAL", _(
            "Chi bộ thuộc %(partial)s: cần ghi ý kiến thẩm định của đảng ủy bộ phận (7-KNĐ) trước."
        ) % {"partial": c.partial_committee.name})]
    return []
