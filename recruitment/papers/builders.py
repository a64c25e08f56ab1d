"""The context of each paper, built from the candidate's record. Each builder returns `doc`
(the heading and signature, `facts.heading`) and the facts its text template writes, already
formatted (`facts`): the templates only place them.

Papers are registered in the order of an admission file (Hướng dẫn 38-HD/BTCTW): the list of
the source pool, the helper's assignment, 1-KNĐ … 9-KNĐ, the ceremony, 10-KNĐ … 16-KNĐ,
then the removal decision."""
from members.documents import document_heading
from members.models import OrganisationKind as K

from ..models import DecisionKind, IntroductionKind, VoteKind
from .facts import DOTS, count, day, deciding_body, heading, issuing_body, text, words
from .registry import ISSUED, PERSONAL, paper


def live_events(c) -> list:
    """The dossier's recorded steps that were not undone."""
    events = list(c.events.all())
    undone = {e.payload.get("undoes") for e in events if e.action == "undo_step"}
    return [e for e in events if e.pk not in undone]


def step_event(c, *actions):
    """The latest recorded event of one of these steps that was not undone, or None."""
    taken = [e for e in live_events(c) if e.action in actions]
    return max(taken, key=lambda e: (e.event_date, e.pk), default=None)


def person(c) -> dict:
    """The candidate as the forms name them."""
    return {
        "name": text(c.full_name), "name_upper": text(c.full_name).upper(),
        "birth_date": day(c.birth_date), "sex": text(c.get_sex_display()),
        "ethnicity": text(c.ethnicity), "religion": text(c.religion),
        "citizen_id": text(c.citizen_id), "education": text(c.get_education_display()),
        "qualification": text(c.get_qualification_display()),
        "profession": text(c.profession), "occupation": text(c.occupation),
        "branch": text(c.organisation.name), "branch_body": issuing_body(c.organisation),
        "youth": "là đoàn viên" if c.youth_union_member else "",
    }


def grassroots(c):
    """The grassroots organisation of the candidate's branch (itself for a grassroots
    branch) and the body above it."""
    org = c.organisation
    if org.kind == K.GRASSROOTS_BRANCH:
        return org
    for ancestor in reversed(list(org.ancestors())):
        if ancestor.kind == K.GRASSROOTS_COMMITTEE:
            return ancestor
    return org.parent


def decider(c, kind: str):
    """Who issues the decision of `kind`: the recorded decision's body, else the committee
    that will (a grassroots committee authorised to admit, or the one above the grassroots)."""
    decision = next((d for d in c.decisions.all() if d.kind == kind), None)
    if decision is not None:
        return decision, decision.decided_by
    base = grassroots(c)
    if base is not None and base.admits_itself:
        return None, base
    return None, base.parent if base is not None and base.parent_id else base


def vote(c, kind: str):
    return next((v for v in c.votes.all() if v.kind == kind), None)


def vote_facts(v) -> dict:
    if v is None:
        return {"eligible": count(None), "present": count(None), "votes_for": count(None),
                "votes_against": count(None), "vote_date": words(None),
                "resolution": DOTS, "share": "……"}
    share = f"{round(100 * v.votes_for / v.eligible)}" if v.eligible else "……"
    return {"eligible": count(v.eligible), "present": count(v.present),
            "votes_for": count(v.votes_for), "votes_against": count(v.votes_against),
            "vote_date": words(v.vote_date), "resolution": text(v.resolution_number),
            "share": share}


@paper("1-knd", "1-KNĐ", "Đơn xin vào Đảng", PERSONAL, ["record_application"])
def application(c):
    """The applicant writes the letter by hand: the heading is filled, the rest is lines."""
    return {
        "doc": {"title": "Đơn xin vào Đảng", "subtitle": "",
                "place": document_heading(c.organisation)["place"],
                "date_words": words(c.application_date),
                "signer_title": "NGƯỜI LÀM ĐƠN", "signer_note": "(Ký, ghi rõ họ và tên)",
                "signer_name": text(c.full_name)},
        "p": person(c),
        "to": f"Kính gửi: {issuing_body(grassroots(c)) if grassroots(c) else DOTS}, "
              f"{person(c)['branch']}",
    }


def decision_paper(c, kind: str, subtitle: str, branch_vote: str, committee_vote: str) -> dict:
    """What every decision on a dossier says (9-KNĐ, 16-KNĐ, the removal): the decider's
    heading, number and date, the branch's and the committee's votes it recites."""
    decision, issuer = decider(c, kind)
    base = grassroots(c)
    committee = vote(c, committee_vote)
    return {
        "doc": heading(issuer, title="Quyết định", subtitle=subtitle,
                       on=decision.decision_date if decision else None,
                       number=decision.number if decision else "", kind="QĐ",
                       recipients=[issuing_body(base) if base else "", c.organisation.name,
                                   f"Đồng chí {c.full_name}"]),
        "p": person(c),
        "issuer": issuing_body(issuer),
        "decider": deciding_body(issuer),
        "branch_vote": vote_facts(vote(c, branch_vote)),
        "committee": vote_facts(committee),
        "has_committee": committee is not None,
        "committee_body": issuing_body(base) if base else DOTS,
    }


@paper("9-knd", "9-KNĐ", "Quyết định kết nạp đảng viên", ISSUED,
       ["approve_admission", "grassroots_admit"])
def admission_decision(c):
    return {
        **decision_paper(c, DecisionKind.ADMISSION, "kết nạp đảng viên", VoteKind.BRANCH,
                         VoteKind.GRASSROOTS),
        "has_introductions": any(i.kind != IntroductionKind.MEMBER
                                 for i in c.introductions.all()),
    }
