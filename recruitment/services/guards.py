"""What the pipeline says against a movement recorded on the member pages (members'
`movement_guards`): a probationary member whose dossier is still open is moved, declared dead
or removed by the dossier's own steps, so the dossier follows the member."""
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import MovementKind as K

from ..models import Candidate
from ..workflow import PROBATION_STAGES, get_action

# Temporary membership leaves the member on their branch's list: the dossier stays there too.
UNGUARDED = (K.TEMPORARY, K.TEMPORARY_END)
# The step of the dossier that records each movement.
STEPS = {K.TRANSFER_WITHIN: "transfer", K.DIED: "record_death"}
# A probationary member who breaks the rules or asks to leave is removed from the list.
REMOVALS = (K.REMOVED, K.EXPELLED, K.RESIGNED)


def open_probation_dossier(member, kind):
    """A refusal with the dossier's page when the member's probation is still followed in the
    pipeline, else ""."""
    if kind in UNGUARDED or member.pk is None:
        return ""
    candidate = (Candidate.objects
                 .filter(Q(member=member) | Q(former_member=member), stage__in=PROBATION_STAGES)
                 .only("pk", "stage").first())
    if candidate is None:
        return ""
    if kind in STEPS:
        where = _("ghi việc này bằng bước “%(step)s” trên trang hồ sơ, để hồ sơ được cập nhật "
                  "cùng.") % {"step": get_action(STEPS[kind]).label}
    elif kind in REMOVALS:
        where = _("đảng viên dự bị ra khỏi danh sách bằng các bước xóa tên đảng viên dự bị "
                  "trên trang hồ sơ.")
    else:
        where = _("hồ sơ dự bị cần được giải quyết trên trang hồ sơ trước.")
    message = _("%(name)s là đảng viên dự bị, hồ sơ kết nạp còn đang theo dõi (giai đoạn "
                "“%(stage)s”): %(where)s") % {
        "name": member.full_name, "stage": candidate.get_stage_display(), "where": where}
    return message, reverse("recruitment:candidate_detail", args=[candidate.pk])
