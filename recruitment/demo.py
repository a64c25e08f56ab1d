"""Demo candidates in every stage of the pipeline, walked through the real services so the
demo shows what users will see (used by `seed_demo`)."""
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from members.models import Member, MemberStatus, Organisation, Role, RoleGrant

from . import services
from .models import Candidate, Education, IntroductionKind, Relation, Source, Stage
from .rules import add_months
from .workflow import GRASSROOTS_BRANCH, get_action, route_facts

# (action, role, days after the candidate was added)
PATH = [
    ("assign_helper", Role.BRANCH_SECRETARY, 20),
    ("record_awareness_certificate", Role.ORG_DEPARTMENT, 60),
    ("record_application", Role.BRANCH_SECRETARY, 75),
    ("add_verification", Role.GRASSROOTS_OFFICE, 80),
    ("certify_history", Role.BRANCH_SECRETARY, 110),
    ("record_introductions", Role.BRANCH_SECRETARY, 118),
    ("record_opinions", Role.BRANCH_SECRETARY, 125),
    ("branch_vote", Role.BRANCH_SECRETARY, 132),
    ("send_up", Role.BRANCH_SECRETARY, 134),
    ("partial_appraisal", Role.GRASSROOTS_OFFICE, 138),
    ("grassroots_resolution", Role.GRASSROOTS_OFFICE, 145),
    ("approve_admission", Role.ORG_DEPARTMENT, 175),
    ("hold_ceremony", Role.BRANCH_SECRETARY, 190),
    ("record_new_member_certificate", Role.ORG_DEPARTMENT, 320),
    ("recognition_vote", Role.BRANCH_SECRETARY, None),  # after the 12 months
    ("recognition_partial_appraisal", Role.GRASSROOTS_OFFICE, None),
    ("recognition_resolution", Role.GRASSROOTS_OFFICE, None),
    ("approve_recognition", Role.ORG_DEPARTMENT, None),
]
# How many demo candidates stop before each action (None: walked to the end).
STOPS = ["assign_helper"] * 4 + ["record_awareness_certificate"] * 3 + [
    "record_application", "add_verification", "certify_history", "record_introductions",
    "record_opinions", "branch_vote", "send_up", "grassroots_resolution",
    "approve_admission", "approve_admission", "approve_admission", "hold_ceremony",
    "hold_ceremony", "record_new_member_certificate", "recognition_vote", "recognition_vote",
    "recognition_resolution", "approve_recognition", None, None, None,
]

# On a grassroots branch (no grassroots committee) the branch sends the dossier to the upper
# committee itself: these steps of PATH become (or are replaced by) the grassroots branch's.
GRASSROOTS_BRANCH_PATH = {"send_up": "send_to_upper", "partial_appraisal": None,
                          "grassroots_resolution": None,
                          "recognition_vote": "recognition_vote_to_upper",
                          "recognition_partial_appraisal": None,
                          "recognition_resolution": None}

GIVEN = ["Thu Trang", "Minh Khôi", "Hải Yến", "Đức Anh", "Phương Thảo", "Quốc Bảo",
         "Ngọc Ánh", "Tuấn Kiệt", "Khánh Linh", "Gia Huy", "Thanh Tâm", "Bảo Ngọc"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]


class DemoActors:
    """The demo user of each role over a branch; the administrator where none is granted."""

    def __init__(self, admin):
        self.admin = admin
        self.grants = list(RoleGrant.objects.select_related("user", "organisation"))

    def for_role(self, role, branch, candidate=None, action=None):
        """The first fitting user whom separation of duties lets take `action` now."""
        fitting = [g.user for g in self.grants
                   if g.role == role and branch.path.startswith(g.organisation.path)]
        step = get_action(action) if action else None
        return next((u for u in [*fitting, self.admin]
                     if step is None or not services.duty_conflict(u, candidate, step)),
                    self.admin)


def _day(start, offset, today):
    return min(start + timedelta(days=offset), today)


def _relatives(c, rng):
    family = c.full_name.split()[0]
    return [{"relation": Relation.FATHER, "person_name": f"{family} Văn {rng.choice(GIVEN)}"},
            {"relation": Relation.MOTHER, "person_name": f"{rng.choice(FAMILY)} Thị "
                                                         f"{rng.choice(GIVEN)}"}]


def _data(action, c, day, helpers, rng):
    # Resolution and decision numbers are used once per issuer (NUMBER_UNIQUE): from the pk.
    registered = services.registered_official(c, day)
    vote = {"eligible": registered, "present": registered, "votes_for": registered,
            "votes_against": 0}
    return {
        "assign_helper": {"helper": helpers[0], "document_number": f"{rng.randint(1, 40)}-NQ/CB"},
        "record_awareness_certificate": {"document_number": f"{rng.randint(100, 999)}/GCN"},
        "add_verification": {"relation": Relation.SELF, "person_name": c.full_name,
                             "requested_of": "Đảng ủy phường nơi cư trú",
                             "answered_date": day + timedelta(days=15),
                             "conclusion": "Lịch sử chính trị rõ ràng"},
        "certify_history": {"history_form_date": c.application_date},
        "record_introductions": {"introducer_1": helpers[1], "known_since_1": date(2015, 1, 1),
                                 "union_kind": IntroductionKind.YOUTH_UNION,
                                 "union_resolution": f"{rng.randint(1, 30)}/NQ-ĐTN",
                                 "union_date": day},
        "record_opinions": {"summary": "Đoàn thể và chi ủy nơi cư trú đều nhất trí."},
        "branch_vote": {**vote, "document_number": f"{c.pk}-NQ/CB"},
        "partial_appraisal": {"note": "Đủ điều kiện, đề nghị đảng ủy xét."},
        "recognition_partial_appraisal": {"note": "Đủ điều kiện công nhận chính thức."},
        "grassroots_resolution": {"eligible": 9, "present": 9, "votes_for": 9,
                                  "document_number": f"{c.pk}-NQ/ĐU"},
        "approve_admission": {"document_number": f"{100 + c.pk}-QĐ/ĐUK"},
        "hold_ceremony": {"helper": helpers[0]},
        "record_new_member_certificate": {"document_number": f"{rng.randint(10, 99)}/GCN-ĐVM"},
        "recognition_vote": vote,
        "recognition_vote_to_upper": vote,
        "recognition_resolution": {"eligible": 9, "present": 9, "votes_for": 9},
        "approve_recognition": {"document_number": f"{600 + c.pk}-QĐ/ĐUK"},
    }.get(action, {})


def seed_candidates(today: date, rng: random.Random) -> int:
    admin = get_user_model().objects.filter(is_superuser=True).first()
    actors = DemoActors(admin)
    branches = [b for b in Organisation.objects.branches().select_related("parent")
                if Member.objects.filter(organisation=b, status=MemberStatus.OFFICIAL).count()
                >= 6]
    count = 0
    for n, stop in enumerate(STOPS):
        branch = branches[n % len(branches)]
        helpers = list(Member.objects.filter(
            organisation=branch, status=MemberStatus.OFFICIAL,
            official_date__lt=today - timedelta(days=900)).order_by("pk")[:2])
        if len(helpers) < 2:
            continue
        # Candidates further along started earlier; all dates stay in the past.
        stop_index = len(PATH) if stop is None else [a for a, *_ in PATH].index(stop)
        span = 175 + 420 if stop_index > 13 else (PATH[max(stop_index - 1, 0)][2] or 0)
        start = today - timedelta(days=span + rng.randint(10, 40))
        candidate = Candidate(
            full_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
            birth_date=date(rng.randint(1995, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            sex=rng.choice(["male", "female"]), education=Education.UPPER_SECONDARY,
            youth_union_member=True,
            source=rng.choice([Source.YOUTH_UNION] * 3 + [Source.TRADE_UNION, Source.OTHER]),
            organisation=branch, added_date=start, plan_year=(start + timedelta(days=180)).year,
            occupation="Chuyên viên",
        )
        services.add_candidate(actor=actors.for_role(Role.BRANCH_SECRETARY, branch),
                               candidate=candidate)
        grassroots_branch = GRASSROOTS_BRANCH in route_facts(branch)
        for action, role, offset in PATH[:stop_index]:
            if action.endswith("partial_appraisal") and candidate.partial_committee is None:
                continue
            if grassroots_branch and action in GRASSROOTS_BRANCH_PATH:
                action = GRASSROOTS_BRANCH_PATH[action]
                if action is None:
                    continue
            if offset is None:
                end = candidate.probation_end
                offset_day = {"recognition_vote": end + timedelta(days=5),
                              "recognition_vote_to_upper": end + timedelta(days=5),
                              "recognition_partial_appraisal": end + timedelta(days=10),
                              "recognition_resolution": end + timedelta(days=15),
                              "approve_recognition": end + timedelta(days=30)}[action]
                day = min(offset_day, today)
            else:
                day = _day(start, offset, today)
            if action.startswith("recognition_vote") and day < candidate.probation_end:
                break
            data = _data(action, candidate, day, helpers, rng)
            # The candidate's own background and both parents' (Hướng dẫn 06-HD/TW, điểm 3.4).
            for extra in (_relatives(candidate, rng) if action == "add_verification" else ()):
                services.perform(action, candidate=candidate,
                                 actor=actors.for_role(role, branch, candidate, action),
                                 event_date=day, data={**data, **extra})
            services.perform(action, candidate=candidate,
                             actor=actors.for_role(role, branch, candidate, action),
                             event_date=day, data=data)
            candidate.refresh_from_db()
        count += 1
    _seed_class(today, actors)
    return count


def _seed_class(today, actors):
    """An awareness class now under way, with the candidates who have a helper enrolled."""
    from .models import ClassKind, TrainingClass

    root = Organisation.objects.filter(parent__isnull=True).first()
    department = actors.for_role(Role.ORG_DEPARTMENT, root)
    start = today - timedelta(days=today.weekday())  # this Monday
    training_class = services.open_class(actor=department, training_class=TrainingClass(
        kind=ClassKind.AWARENESS, organiser=root, course_number="5", year=today.year,
        decision_number=f"{today.month}12-QĐ/ĐUK", decision_date=start - timedelta(days=14),
        start_date=start, end_date=start + timedelta(days=4),
        place="Trung tâm Chính trị tỉnh, phòng học số 2"))
    waiting = list(Candidate.objects.filter(stage=Stage.HELPER_ASSIGNED).select_related(
        "organisation"))
    if waiting:
        services.enrol(training_class=training_class, actor=department, candidates=waiting)


__all__ = ["seed_candidates", "add_months", "Stage"]
