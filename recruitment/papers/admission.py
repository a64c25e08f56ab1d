"""The papers of the admission steps before the decision: the source-pool list, the helper's
assignment, 2-KNĐ … 8-KNĐ (1-KNĐ and 9-KNĐ are in builders.py)."""
from members.documents import document_heading

from ..models import Candidate, DecisionKind, IntroductionKind, VoteKind
from .builders import decider, grassroots, person, step_event, vote, vote_facts
from .facts import (
    DOTS,
    SHORT_DOTS,
    count,
    day,
    deciding_body,
    heading,
    issuing_body,
    text,
    words,
)
from .registry import ISSUED, PERSONAL, paper

PERSONAL_NOTE = "(Ký, ghi rõ họ và tên)"


def to_grassroots(c) -> str:
    """The committee the branch's papers go to (for a grassroots branch, the one above it)."""
    base = grassroots(c)
    if base is None:
        return DOTS
    if base.pk == c.organisation_id:  # a grassroots branch reports to the committee above
        return deciding_body(base.parent) if base.parent_id else DOTS
    return issuing_body(base)


def introduction(c, kind):
    return next((i for i in c.introductions.all() if i.kind == kind), None)


def against_share(v) -> str:
    return f"{round(100 * v.votes_against / v.eligible)}" if v and v.eligible else SHORT_DOTS


def absent(v) -> str:
    return count(v.eligible - v.present if v else None)


def occupation(c) -> str:
    return text(c.occupation or c.get_occupation_group_display())


@paper("du-nguon", "", "Danh sách quần chúng ưu tú (dự nguồn)", ISSUED, ["add_to_pool"])
def source_pool_list(c):
    """The branch's list of the year that put this candidate on the source pool: everyone it
    added that year up to the candidate's own day (a list cannot name people added later)."""
    event = step_event(c, "add_to_pool")
    pool = (Candidate.objects.filter(organisation=c.organisation,
                                     added_date__year=c.added_date.year,
                                     added_date__lte=c.added_date)
            .order_by("added_date", "full_name", "pk"))
    return {
        "doc": heading(c.organisation, title="Danh sách quần chúng ưu tú",
                       subtitle=f"(dự nguồn) năm {c.added_date.year}", on=c.added_date,
                       number=event.document_number if event else "", kind="DS",
                       recipients=[to_grassroots(c)]),
        "p": person(c),
        "year": c.added_date.year,
        "plan_year": text(c.plan_year),
        "rows": [{"name": text(x.full_name), "birth": day(x.birth_date),
                  "occupation": occupation(x), "added": day(x.added_date)} for x in pool],
    }


@paper("giup-do", "", "Nghị quyết phân công đảng viên giúp đỡ", ISSUED, ["assign_helper"])
def helper_assignment(c):
    event = step_event(c, "assign_helper")
    helper = c.helper if c.helper_id else None
    return {
        "doc": heading(c.organisation, title="Nghị quyết",
                       subtitle="phân công đảng viên chính thức giúp đỡ quần chúng phấn đấu "
                                "vào Đảng",
                       on=event.event_date if event else None,
                       number=event.document_number if event else "", kind="NQ",
                       recipients=[f"Đồng chí {helper.full_name}" if helper else DOTS,
                                   to_grassroots(c)]),
        "p": person(c),
        "occupation": occupation(c),
        "meeting": words(event.event_date if event else None),
        "helper": text(helper.full_name if helper else None),
        "helper_card": text(helper.card_number if helper else None),
    }


@paper("2-knd", "2-KNĐ", "Lý lịch của người xin vào Đảng", PERSONAL, ["certify_history"])
def history_form(c):
    """The history the applicant writes by hand: what the record knows is filled, the rest is
    lines; the branch's confirmation at the end gives each verifying body's answer."""
    checks = list(c.verifications.all())
    branch = document_heading(c.organisation)
    return {
        "doc": {"title": "Lý lịch của người xin vào Đảng", "subtitle": "",
                "place": branch["place"], "date_words": words(c.history_form_date),
                "signer_title": "T/M CHI ỦY", "signer_note": branch["signer_title"],
                "signer_name": text(branch["signer_name"])},
        "p": person(c),
        "occupation": occupation(c),
        "cert_number": text(c.awareness_cert_number),
        "cert_date": day(c.awareness_cert_date),
        "written": words(c.history_form_date),
        "certified": words(c.history_certified_date),
        "place": branch["place"],
        "family": [{"relation": text(v.get_relation_display()), "name": text(v.person_name)}
                   for v in checks if v.relation != "self"],
        "checks": [{"relation": text(v.get_relation_display()), "name": text(v.person_name),
                    "by": text(v.requested_of), "answered": day(v.answered_date),
                    "conclusion": text(v.conclusion)} for v in checks],
    }


@paper("3-knd", "3-KNĐ", "Giấy giới thiệu người vào Đảng", PERSONAL, ["record_introductions"])
def member_introduction(c):
    """One paper per introducing member; the dossier prints the first one's."""
    intro = introduction(c, IntroductionKind.MEMBER)
    member = intro.introducer if intro else None
    return {
        "doc": {"title": "Giấy giới thiệu người vào Đảng", "subtitle": "",
                "place": document_heading(c.organisation)["place"],
                "date_words": words(intro.document_date if intro else None),
                "signer_title": "NGƯỜI GIỚI THIỆU", "signer_note": PERSONAL_NOTE,
                "signer_name": text(member.full_name if member else None)},
        "p": person(c),
        "occupation": occupation(c),
        "introducer": text(member.full_name if member else None),
        "introducer_birth": day(member.birth_date if member else None),
        "card": text(member.card_number if member else None),
        "admitted": words(member.admitted_date if member else None),
        "official": words(member.official_date if member else None),
        "introducer_branch": text(member.organisation.name if member else None),
        "known_since": words(intro.known_since if intro else None),
    }


def union_introduction(c, kind, *, body, parent, suffix, party_line):
    """A union's resolution: its issuer is outside our tree, so the heading is built here
    with the union's name left dotted; the number and date are the recorded introduction's."""
    intro = introduction(c, kind)
    on = intro.document_date if intro else None
    return {
        "place": document_heading(c.organisation)["place"],
        "signer_capacity": "T/M BAN CHẤP HÀNH", "signer_title": "BÍ THƯ", "signer_name": "",
        "body_parent": parent, "body": body, "party_line": party_line,
        "number": text(intro.resolution_ref if intro else None, SHORT_DOTS + "-" + suffix),
        "number_suffix": suffix, "date": on, "date_words": words(on),
        "title": "Nghị quyết", "recipients": [c.organisation.name, to_grassroots(c)],
    }


@paper("4-knd", "4-KNĐ", "Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng", ISSUED,
       ["record_introductions"])
def youth_union_introduction(c):
    doc = union_introduction(c, IntroductionKind.YOUTH_UNION, body=f"BCH Đoàn {DOTS}",
                             parent="Đoàn TNCS Hồ Chí Minh", suffix="NQ/ĐTN",
                             party_line="ĐOÀN TNCS HỒ CHÍ MINH")
    return {"doc": {**doc, "subtitle": "giới thiệu đoàn viên ưu tú vào Đảng"},
            "p": person(c), "occupation": occupation(c), "meeting": doc["date_words"],
            "to": to_grassroots(c)}


@paper("4a-knd", "4A-KNĐ", "Nghị quyết giới thiệu đoàn viên công đoàn ưu tú vào Đảng", ISSUED,
       ["record_introductions"])
def trade_union_introduction(c):
    doc = union_introduction(c, IntroductionKind.TRADE_UNION, body=f"BCH Công đoàn {DOTS}",
                             parent=f"Công đoàn {DOTS}", suffix="NQ/CĐ",
                             party_line="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    return {"doc": {**doc, "subtitle": "giới thiệu đoàn viên công đoàn ưu tú vào Đảng"},
            "p": person(c), "occupation": occupation(c), "meeting": doc["date_words"],
            "to": to_grassroots(c)}


@paper("5-knd", "5-KNĐ", "Tổng hợp ý kiến nhận xét của tổ chức đoàn thể nơi làm việc và chi "
       "ủy nơi cư trú", ISSUED, ["record_opinions"])
def opinions(c):
    event = step_event(c, "record_opinions")
    return {
        "doc": heading(c.organisation, title="Tổng hợp ý kiến nhận xét",
                       subtitle="của tổ chức đoàn thể chính trị - xã hội nơi làm việc và chi ủy "
                                "nơi cư trú đối với người xin vào Đảng",
                       on=c.opinions_date, number=event.document_number if event else "",
                       kind="BC", recipients=[to_grassroots(c)]),
        "p": person(c),
        "occupation": occupation(c),
        "summary": text(c.opinions_summary),
        "collected": words(c.opinions_date),
    }


@paper("6-knd", "6-KNĐ", "Nghị quyết đề nghị kết nạp đảng viên", ISSUED, ["branch_vote"])
def branch_resolution(c):
    v = vote(c, VoteKind.BRANCH)
    return {
        "doc": heading(c.organisation, title="Nghị quyết", subtitle="đề nghị kết nạp đảng viên",
                       on=v.vote_date if v else None, number=v.resolution_number if v else "",
                       kind="NQ", recipients=[to_grassroots(c)]),
        "p": person(c),
        "occupation": occupation(c),
        "v": vote_facts(v), "absent": absent(v), "against_share": against_share(v),
        "to": to_grassroots(c),
        "has_union": introduction(c, IntroductionKind.YOUTH_UNION) is not None
        or introduction(c, IntroductionKind.TRADE_UNION) is not None,
    }


@paper("7-knd", "7-KNĐ", "Báo cáo thẩm định", ISSUED, ["partial_appraisal"])
def partial_appraisal(c):
    event = step_event(c, "partial_appraisal")
    partial = c.partial_committee
    return {
        "doc": heading(partial, title="Báo cáo thẩm định",
                       subtitle="đề nghị kết nạp đảng viên",
                       on=event.event_date if event else None,
                       number=event.document_number if event else "", kind="BC",
                       recipients=[to_grassroots(c)]),
        "p": person(c),
        "occupation": occupation(c),
        "appraiser": issuing_body(partial),
        "branch_vote": vote_facts(vote(c, VoteKind.BRANCH)),
        "to": to_grassroots(c),
        "conclusion": text(event.note if event else None),
    }


@paper("8-knd", "8-KNĐ", "Nghị quyết đề nghị kết nạp đảng viên", ISSUED,
       ["grassroots_resolution"])
def committee_resolution(c):
    base = grassroots(c)
    v = vote(c, VoteKind.GRASSROOTS)
    _decision, issuer = decider(c, DecisionKind.ADMISSION)
    appraisal = step_event(c, "partial_appraisal")
    return {
        "doc": heading(base, title="Nghị quyết", subtitle="đề nghị kết nạp đảng viên",
                       on=v.vote_date if v else None, number=v.resolution_number if v else "",
                       kind="NQ", recipients=[deciding_body(issuer), c.organisation.name]),
        "p": person(c),
        "occupation": occupation(c),
        "v": vote_facts(v), "absent": absent(v), "against_share": against_share(v),
        "branch_vote": vote_facts(vote(c, VoteKind.BRANCH)),
        "committee": issuing_body(base),
        "decider": deciding_body(issuer),
        "appraisal": appraisal is not None or c.partial_committee is not None,
        "appraisal_number": text(appraisal.document_number if appraisal else None),
        "appraisal_date": words(appraisal.event_date if appraisal else None),
        "appraiser": issuing_body(c.partial_committee),
    }
