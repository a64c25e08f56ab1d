"""The papers from the ceremony to official membership (the ceremony minutes, 10-KNĐ …
16-KNĐ) and the removal decision."""
from members.documents import document_heading
from members.models import OrganisationKind as K

from ..models import DecisionKind, VoteKind
from .builders import (
    decider,
    decision_paper,
    grassroots,
    person,
    step_event,
    vote,
    vote_facts,
)
from .facts import DOTS, day, deciding_body, heading, issuing_body, text, words
from .registry import ISSUED, PERSONAL, paper

PERSONAL_NOTE = "(Ký, ghi rõ họ và tên)"


def admitted(c) -> dict:
    """The facts of the admission every paper of the probation recalls."""
    decision, issuer = decider(c, DecisionKind.ADMISSION)
    return {
        "ceremony": words(c.ceremony_date),
        "probation_end": words(c.probation_end),
        "admission_number": text(decision.number if decision else c.decision_number),
        "admission_date": words(decision.decision_date if decision else c.decision_date),
        "admitter": deciding_body(issuer),
        "helper": text(c.helper.full_name if c.helper_id else None),
        "cert_number": text(c.new_member_cert_number),
        "cert_date": words(c.new_member_cert_date),
    }


def proposed_to(c) -> str:
    """Whom the branch's papers go to: the grassroots committee, or for a grassroots branch
    the committee above it."""
    org = c.organisation
    if org.kind == K.GRASSROOTS_BRANCH:
        return deciding_body(org.parent) if org.parent_id else DOTS
    base = grassroots(c)
    return issuing_body(base) if base is not None else DOTS


def signed_by(c, event, *, title: str, signer: str, name: str) -> dict:
    """The heading of a paper a person writes and signs (10-KNĐ, 11-KNĐ)."""
    return {"title": title, "subtitle": "",
            "place": document_heading(c.organisation)["place"],
            "date_words": words(event.event_date if event else None),
            "signer_title": signer,
            "signer_note": PERSONAL_NOTE, "signer_name": name}


@paper("le-ket-nap", "", "Biên bản lễ kết nạp đảng viên", ISSUED, ["hold_ceremony"])
def ceremony_minutes(c):
    event = step_event(c, "hold_ceremony")
    return {
        "doc": heading(c.organisation, title="Biên bản", subtitle="lễ kết nạp đảng viên",
                       on=c.ceremony_date, number=event.document_number if event else "",
                       kind="BB", recipients=[proposed_to(c)]),
        "p": person(c), "a": admitted(c),
    }


@paper("10-knd", "10-KNĐ", "Bản tự kiểm điểm của đảng viên dự bị", PERSONAL,
       ["probation_review"])
def self_assessment(c):
    return {
        "doc": signed_by(c, step_event(c, "probation_review"),
                         title="Bản tự kiểm điểm của đảng viên dự bị",
                         signer="NGƯỜI TỰ KIỂM ĐIỂM", name=text(c.full_name)),
        "p": person(c), "a": admitted(c),
    }


@paper("11-knd", "11-KNĐ", "Bản nhận xét đảng viên dự bị", PERSONAL, ["probation_review"])
def helper_review(c):
    helper = c.helper if c.helper_id else None
    return {
        "doc": signed_by(c, step_event(c, "probation_review"),
                         title="Bản nhận xét đảng viên dự bị",
                         signer="ĐẢNG VIÊN GIÚP ĐỠ",
                         name=text(helper.full_name if helper else None)),
        "p": person(c), "a": admitted(c),
    }


@paper("12-knd", "12-KNĐ", "Tổng hợp ý kiến nhận xét của tổ chức đoàn thể nơi làm việc và "
       "chi ủy nơi cư trú đối với đảng viên dự bị", ISSUED, ["probation_review"])
def opinions_summary(c):
    event = step_event(c, "probation_review")
    return {
        "doc": heading(c.organisation, title="Tổng hợp ý kiến nhận xét",
                       subtitle="của tổ chức đoàn thể nơi làm việc và chi ủy nơi cư trú "
                                "đối với đảng viên dự bị",
                       on=event.event_date if event else None, kind="BC",
                       recipients=[proposed_to(c)]),
        "p": person(c), "a": admitted(c),
    }


@paper("13-knd", "13-KNĐ", "Nghị quyết đề nghị công nhận đảng viên chính thức", ISSUED,
       ["recognition_vote", "recognition_vote_to_upper"])
def branch_recognition(c):
    v = vote(c, VoteKind.RECOGNITION_BRANCH)
    return {
        "doc": heading(c.organisation, title="Nghị quyết",
                       subtitle="đề nghị công nhận đảng viên chính thức",
                       on=v.vote_date if v else None, number=v.resolution_number if v else "",
                       kind="NQ", recipients=[proposed_to(c)]),
        "p": person(c), "a": admitted(c), "v": vote_facts(v), "to": proposed_to(c),
    }


@paper("14-knd", "14-KNĐ", "Báo cáo thẩm định", ISSUED, ["recognition_partial_appraisal"])
def partial_appraisal(c):
    event = step_event(c, "recognition_partial_appraisal")
    partial = c.partial_committee
    base = grassroots(c)
    return {
        "doc": heading(partial, title="Báo cáo thẩm định",
                       subtitle="đề nghị công nhận đảng viên chính thức",
                       on=event.event_date if event else None,
                       number=event.document_number if event else "", kind="BC",
                       recipients=[issuing_body(base) if base else DOTS]),
        "p": person(c), "a": admitted(c),
        "branch_vote": vote_facts(vote(c, VoteKind.RECOGNITION_BRANCH)),
        "appraiser": issuing_body(partial), "to": issuing_body(base) if base else DOTS,
        "conclusion": text(event.note if event else None),
    }


@paper("15-knd", "15-KNĐ", "Nghị quyết đề nghị công nhận đảng viên chính thức", ISSUED,
       ["recognition_resolution", "grassroots_recognise"])
def committee_recognition(c):
    base = grassroots(c)
    v = vote(c, VoteKind.RECOGNITION_GRASSROOTS)
    _decision, issuer = decider(c, DecisionKind.RECOGNITION)
    appraisal = step_event(c, "recognition_partial_appraisal")
    return {
        "doc": heading(base, title="Nghị quyết",
                       subtitle="đề nghị công nhận đảng viên chính thức",
                       on=v.vote_date if v else None, number=v.resolution_number if v else "",
                       kind="NQ", recipients=[deciding_body(issuer), c.organisation.name]),
        "p": person(c), "a": admitted(c), "v": vote_facts(v),
        "branch_vote": vote_facts(vote(c, VoteKind.RECOGNITION_BRANCH)),
        "committee": issuing_body(base),
        "decides_itself": base is not None and issuer is not None and issuer.pk == base.pk,
        "decider": deciding_body(issuer),
        "appraisal": appraisal is not None or c.partial_committee is not None,
        "appraisal_number": text(appraisal.document_number if appraisal else None),
        "appraisal_date": words(appraisal.event_date if appraisal else None),
        "appraiser": issuing_body(c.partial_committee),
    }


@paper("16-knd", "16-KNĐ", "Quyết định công nhận đảng viên chính thức", ISSUED,
       ["approve_recognition", "grassroots_recognise"])
def recognition_decision(c):
    return {
        **decision_paper(c, DecisionKind.RECOGNITION, "công nhận đảng viên chính thức",
                         VoteKind.RECOGNITION_BRANCH, VoteKind.RECOGNITION_GRASSROOTS),
        "a": admitted(c),
        "official_from": words(c.probation_end),
        "official_day": day(c.probation_end),
    }


@paper("xoa-ten", "", "Quyết định xóa tên đảng viên dự bị", ISSUED,
       ["remove_probationary", "grassroots_remove"])
def removal_decision(c):
    proposal = step_event(c, "propose_removal", "propose_removal_to_upper")
    return {
        **decision_paper(c, DecisionKind.REMOVAL, "xóa tên đảng viên dự bị",
                         VoteKind.REMOVAL_BRANCH, VoteKind.REMOVAL_GRASSROOTS),
        "a": admitted(c),
        # Until the decision records it, the reason the branch gave when it proposed removal.
        "reason": text(c.end_reason or (proposal.note if proposal else None)),
    }
