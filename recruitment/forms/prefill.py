"""What a step form starts from: what the dossier already knows, so the secretary types only
what is new (the date of today, the register's count of official members for a vote, the
helper as first introducer, the next person to verify, a certificate the class already gave).
Every value is only offered: the user sees it in the field and may change it."""
from ..models import ClassKind, Relation, Result
from ..services.pipeline import BRANCH_VOTES, registered_official


def initial_for(code: str, candidate, today) -> dict:
    initial = {"event_date": today}
    if code in BRANCH_VOTES:
        initial["eligible"] = registered_official(candidate, today)
    if code == "record_introductions" and candidate.helper_id:
        initial["introducer_1"] = candidate.helper_id
    if code == "add_verification":
        initial.update(_next_to_verify(candidate))
    if code == "answer_verification":
        waiting = list(candidate.verifications.filter(answered_date__isnull=True)[:2])
        if len(waiting) == 1:
            initial["record"] = waiting[0].pk
    if code == "certify_history" and candidate.application_date:
        # The history form (2-KNĐ) is written with the application, as a rule.
        initial["history_form_date"] = candidate.application_date
    if code in ("record_awareness_certificate", "renew_awareness_certificate"):
        initial.update(_class_certificate(candidate))
    return initial


def _next_to_verify(candidate) -> dict:
    """The first person the dossier still has to verify (rules.dossier.missing_verifications
    says the same as a refusal): the candidate, the parents (unless a guardian is), the
    spouse and parents-in-law when married, each adult child."""
    have = {}
    for relation in candidate.verifications.values_list("relation", flat=True):
        have[relation] = have.get(relation, 0) + 1
    wanted = [Relation.SELF]
    if not have.get(Relation.GUARDIAN):
        wanted += [Relation.FATHER, Relation.MOTHER]
    if candidate.married:
        wanted += [Relation.SPOUSE, Relation.FATHER_IN_LAW, Relation.MOTHER_IN_LAW]
    for relation in wanted:
        if not have.get(relation):
            found = {"relation": relation}
            if relation == Relation.SELF:
                found["person_name"] = candidate.full_name
            return found
    if have.get(Relation.CHILD, 0) < (candidate.adult_children or 0):
        return {"relation": Relation.CHILD}
    return {}


def _class_certificate(candidate) -> dict:
    """The awareness class the person passed, with its certificate (number and date)."""
    passed = (candidate.enrolments.filter(training_class__kind=ClassKind.AWARENESS,
                                          result=Result.PASSED)
              .exclude(certificate_number="").select_related("training_class")
              .order_by("-training_class__end_date").first())
    if passed is None:
        return {}
    return {"event_date": passed.certificate_date or passed.training_class.end_date,
            "document_number": passed.certificate_number}
