"""A branch with five official members and one probationary member, and a candidate walked
along the pipeline by a script of valid steps (each test then breaks one step)."""
from datetime import date
from types import SimpleNamespace

import pytest

from members.models import MemberStatus, Role
from recruitment import services
from recruitment.models import Candidate, IntroductionKind, Relation, Stage
from tests.factories import MemberFactory, UserFactory, grant


@pytest.fixture
def branch_members(tree):
    officials = [MemberFactory(full_name=f"Đảng viên Chính Thức {i}", organisation=tree.b1,
                               official_date=date(2016, 3, 2)) for i in range(5)]
    probationary = MemberFactory(full_name="Đảng viên Dự Bị", organisation=tree.b1,
                                 admitted_date=date(2024, 1, 5), official_date=None,
                                 status=MemberStatus.PROBATIONARY)
    partial_officials = [MemberFactory(full_name=f"Đảng viên Khối Nội {i}", organisation=tree.b2,
                                       official_date=date(2016, 3, 2)) for i in range(4)]
    return SimpleNamespace(officials=officials, probationary=probationary,
                           partial_officials=partial_officials)


def make_candidate(users, organisation, **overrides):
    fields = dict(full_name="Hoàng Thị Quỳnh Anh", birth_date=date(1995, 5, 17), sex="female",
                  education="upper_secondary", youth_union_member=True, source="youth_union",
                  organisation=organisation, added_date=date(2024, 1, 10), plan_year=2024,
                  citizen_id="001195012345")
    fields.update(overrides)
    return services.add_candidate(actor=users.secretary, candidate=Candidate(**fields))


@pytest.fixture
def candidate(users, tree, branch_members):
    return make_candidate(users, tree.b1)


def steps(m):
    """The valid path from the source pool to official member: (action, who, date, data).
    The history is verified for the candidate and both parents (single, no adult child)."""
    o = m.officials
    return [
        ("assign_helper", "secretary", date(2024, 2, 1), {"helper": o[0]}),
        ("record_awareness_certificate", "secretary", date(2024, 3, 15),
         {"document_number": "123/GCN"}),
        ("record_application", "secretary", date(2024, 4, 1), {}),
        ("add_verification", "secretary", date(2024, 4, 5),
         {"relation": Relation.SELF, "person_name": "Hoàng Thị Quỳnh Anh",
          "requested_of": "Đảng ủy phường Hàng Bạc", "answered_date": date(2024, 5, 2),
          "conclusion": "Lý lịch rõ ràng"}),
        ("add_verification", "secretary", date(2024, 4, 5),
         {"relation": Relation.FATHER, "person_name": "Hoàng Văn Cường",
          "requested_of": "Đảng ủy xã Yên Sở", "answered_date": date(2024, 4, 25),
          "conclusion": "Chấp hành tốt chủ trương, chính sách"}),
        ("add_verification", "secretary", date(2024, 4, 5),
         {"relation": Relation.MOTHER, "person_name": "Nguyễn Thị Hạnh",
          "requested_of": "Đảng ủy xã Yên Sở", "answered_date": date(2024, 4, 25),
          "conclusion": "Chấp hành tốt chủ trương, chính sách"}),
        ("certify_history", "secretary", date(2024, 5, 10),
         {"history_form_date": date(2024, 4, 2)}),
        ("record_introductions", "secretary", date(2024, 5, 20),
         {"introducer_1": o[1], "known_since_1": date(2020, 1, 1),
          "union_kind": IntroductionKind.YOUTH_UNION, "union_resolution": "05/NQ-ĐTN",
          "union_date": date(2024, 5, 18)}),
        ("record_opinions", "secretary", date(2024, 6, 1), {"summary": "Đồng ý"}),
        ("branch_vote", "secretary", date(2024, 6, 10),
         {"eligible": 5, "present": 5, "votes_for": 4, "votes_against": 1,
          "document_number": "12-NQ/CB"}),
        ("send_up", "secretary", date(2024, 6, 11), {}),
        ("grassroots_resolution", "office", date(2024, 6, 20),
         {"eligible": 9, "present": 8, "votes_for": 7, "votes_against": 1,
          "document_number": "45-NQ/ĐU"}),
        ("approve_admission", "department", date(2024, 7, 15),
         {"document_number": "123-QĐ/ĐU"}),
        ("hold_ceremony", "secretary", date(2024, 8, 1), {"helper": o[0]}),
        ("record_new_member_certificate", "department", date(2025, 1, 10),
         {"document_number": "88/GCN-ĐVM"}),
        ("recognition_vote", "secretary", date(2025, 8, 5),
         {"eligible": 5, "present": 5, "votes_for": 5, "document_number": "30-NQ/CB"}),
        ("recognition_resolution", "office", date(2025, 8, 15),
         {"eligible": 9, "present": 9, "votes_for": 9, "document_number": "60-NQ/ĐU"}),
        ("approve_recognition", "department", date(2025, 9, 1),
         {"document_number": "210-QĐ/ĐU"}),
    ]


# Steps whose number is a certificate's, not a resolution's or a decision's.
CERTIFICATES = {"record_awareness_certificate", "record_new_member_certificate"}


def numbered_for(data, index):
    """The step's data with its resolution or decision number made the index-th candidate's own
    (the first keeps the script's numbers): one number is used for one person only."""
    number = data.get("document_number")
    if not index or not number:
        return data
    head, sep, tail = number.partition("-")
    return {**data, "document_number": f"{head}{index}{sep}{tail}"}


@pytest.fixture
def walk(users, branch_members):
    """walk(candidate, until="branch_vote") performs every step before `until` (or all). Each
    further candidate walked in a test gets numbers of its own (12-NQ/CB, 121-NQ/CB…)."""
    walked = {}

    def walk(candidate, until=None, overrides=None, start_after=None):
        overrides = overrides or {}
        index = walked.setdefault(candidate.pk, len(walked))
        started = start_after is None
        for action, who, day, data in steps(branch_members):
            if action == until:
                return candidate
            if not started:
                started = action == start_after
                continue
            day, data = overrides.get(action, (day, data))
            if action not in CERTIFICATES:
                data = numbered_for(data, index)
            services.perform(action, candidate=candidate, actor=getattr(users, who),
                             event_date=day, data=data)
            candidate.refresh_from_db()
        return candidate
    return walk


def step_of(branch_members, action):
    for a, who, day, data in steps(branch_members):
        if a == action:
            return who, day, dict(data)
    raise KeyError(action)


def partial_route(users, tree, branch_members, **fields):
    """A candidate of Chi bộ Hai, the branch under the partial committee, with its own branch
    secretary (now users.secretary), the partial committee's office (returned) and the step
    data `walk` needs there (its officials introduce, help and vote)."""
    secretary = UserFactory(username="bithu.khoinoi")
    grant(secretary, Role.BRANCH_SECRETARY, tree.b2)
    users.secretary = secretary
    appraiser = UserFactory(username="vanphong.khoinoi")
    grant(appraiser, Role.GRASSROOTS_OFFICE, tree.partial)
    person = make_candidate(users, tree.b2, **{"citizen_id": None, **fields})
    o = branch_members.partial_officials
    overrides = {
        "assign_helper": (date(2024, 2, 1), {"helper": o[0]}),
        "record_introductions": (date(2024, 5, 20), {
            "introducer_1": o[1], "known_since_1": date(2020, 1, 1),
            "union_kind": "youth_union", "union_resolution": "7/NQ-ĐTN",
            "union_date": date(2024, 5, 18)}),
        "branch_vote": (date(2024, 6, 10), {"eligible": 4, "present": 4, "votes_for": 3,
                                            "document_number": "14-NQ/CB"}),
        "hold_ceremony": (date(2024, 8, 1), {"helper": o[0]}),
        "recognition_vote": (date(2025, 8, 5), {"eligible": 4, "present": 4, "votes_for": 4,
                                                "document_number": "31-NQ/CB"}),
    }
    return person, appraiser, overrides


__all__ = ["Stage", "make_candidate", "partial_route", "step_of", "steps"]


@pytest.fixture
def two_secretaries(users, tree):
    """The branch's secretary and a second one of the same branch, for saves at one moment."""
    second = UserFactory(username="phobithu")
    grant(second, Role.BRANCH_SECRETARY, tree.b1)
    return users.secretary, second


def post_at_once(users, url, data_for):
    """Each user posts `data_for(n)` to `url` from their own browser, in their own thread,
    both starting together; returns {n: (status, body)}, a server error as (500, repr)."""
    import threading

    from django.db import connections
    from django.test import Client

    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(len(clients))
    outcomes = {}

    def post(n):
        try:
            start.wait(timeout=10)
            response = clients[n].post(url, data_for(n))
            outcomes[n] = response.status_code, response.content.decode()
        except Exception as err:  # a 500 surfaces here, raised by the test client
            outcomes[n] = 500, repr(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes
