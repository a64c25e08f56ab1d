"""The numbering register: the next number offered, numbers taken once and never again, list
decisions sharing one number, gaps explained, the pages scoped, and two steps at once."""
import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.urls import reverse

from recruitment import selectors, services
from recruitment.forms import FORMS
from recruitment.models import Decision, NumberKind, NumberSequence, RegisteredNumber
from recruitment.services import numbering
from recruitment.services.corrections import undo_last_step
from recruitment.workflow import get_action

from .conftest import make_candidate

DAY = date(2024, 7, 15)  # the day of the script's admission decision


def two_at_the_door(users, tree, walk):
    """Two candidates of Chi bộ Một waiting for the department's admission decision."""
    first = make_candidate(users, tree.b1)
    second = make_candidate(users, tree.b1, citizen_id=None, full_name="Vũ Thị Lan")
    for person in (first, second):
        walk(person, until="approve_admission")
    return first, second


def approve(person, users, number, **data):
    return services.perform("approve_admission", candidate=person, actor=users.department,
                            event_date=DAY, data={"document_number": number, **data})


def decisions_register(tree, year=2024):
    return NumberSequence.objects.get(issuer=tree.root, year=year, kind=NumberKind.DECISION)


def test_the_step_form_offers_the_next_number_of_the_register(users, tree, walk,
                                                             branch_members):
    first, second = two_at_the_door(users, tree, walk)

    def offered(person):
        form = FORMS["approve_admission"](candidate=person, action=get_action("approve_admission"),
                                          user=users.department, initial={"event_date": DAY})
        return form["document_number"].initial

    assert offered(first) == "1-QĐ/ĐU"  # "Đảng bộ Khối" decides: a committee's decision
    approve(first, users, "1-QĐ/ĐU")
    assert offered(second) == "2-QĐ/ĐU"
    # A branch's resolution is offered in the branch's register.
    newcomer = make_candidate(users, tree.b1, citizen_id=None, full_name="Đỗ Văn Hùng")
    walk(newcomer, until="branch_vote")
    assert numbering.offer_for_step("branch_vote", newcomer, users.secretary,
                                    date(2024, 6, 10)) == "122-NQ/CB"


def test_the_step_page_shows_the_offered_number(users, tree, walk, branch_members, as_user):
    person = make_candidate(users, tree.b1)
    walk(person, until="approve_admission")
    page = as_user(users.department).get(
        reverse("recruitment:candidate_action", args=[person.pk, "approve_admission"]))
    assert page.status_code == 200
    assert 'value="1-QĐ/ĐU"' in page.content.decode()


def test_two_steps_take_consecutive_numbers(users, tree, walk, branch_members):
    first, second = two_at_the_door(users, tree, walk)
    for person in (first, second):
        approve(person, users, numbering.offer(tree.root, NumberKind.DECISION, 2024))
    assert [d.number for d in Decision.objects.order_by("pk")] == ["1-QĐ/ĐU", "2-QĐ/ĐU"]
    register = decisions_register(tree)
    assert register.last == 2
    assert [(r.number, r.candidate_id) for r in register.numbers.all()] == [
        (1, first.pk), (2, second.pk)]


def test_a_typed_free_number_is_taken_and_leaves_a_gap_before_it(users, tree, walk,
                                                                 branch_members):
    first, _second = two_at_the_door(users, tree, walk)
    approve(first, users, "5-QĐ/ĐU")
    register = decisions_register(tree)
    assert register.numbers.get().text == "5-QĐ/ĐU"
    assert numbering.offer(tree.root, NumberKind.DECISION, 2024) == "6-QĐ/ĐU"
    lines = selectors.register_lines(register)
    assert [(line.first, line.last, line.state) for line in lines] == [(1, 4, "gap"),
                                                                       (5, 5, "used")]


def test_a_number_typed_in_another_form_is_kept_as_typed_and_not_registered(
        users, tree, walk, branch_members):
    first, _second = two_at_the_door(users, tree, walk)
    approve(first, users, "07/QĐ-ĐUK")
    assert first.decisions.get().number == "07/QĐ-ĐUK"
    assert not RegisteredNumber.objects.filter(sequence__kind=NumberKind.DECISION).exists()


def test_a_number_used_for_another_person_is_refused_with_the_number(users, tree, walk,
                                                                    branch_members):
    first, second = two_at_the_door(users, tree, walk)
    approve(first, users, "1-QĐ/ĐU")
    with pytest.raises(services.WorkflowError) as err:  # the rule NUMBER_UNIQUE, first
        approve(second, users, "1-QĐ/ĐU")
    assert "1-QĐ/ĐU" in str(err.value)
    # The register refuses it too, for a step that reached it without the rule seeing the
    # other paper (two steps at the same moment).
    with pytest.raises(services.WorkflowError) as err:
        numbering.take(issuer=tree.root, kind=NumberKind.DECISION, day=DAY, text="1-QĐ/ĐU",
                       candidate=second)
    assert "Số 1-QĐ/ĐU đã được dùng cho người khác ngày 15/07/2024" in err.value.message
    assert "Số tiếp theo còn trống: 2-QĐ/ĐU" in err.value.message
    assert not second.decisions.exists()


def test_a_list_decision_names_two_candidates_under_one_number(users, tree, walk,
                                                              branch_members, as_user):
    first, second = two_at_the_door(users, tree, walk)
    approve(first, users, "1-QĐ/ĐU", is_list=True)
    approve(second, users, "1-QĐ/ĐU", is_list=True)
    register = decisions_register(tree)
    assert register.numbers.count() == 1 and register.last == 1
    lines = selectors.register_lines(register)
    assert [p.pk for p in lines[0].people] == [first.pk, second.pk]
    page = as_user(users.department).get(reverse("recruitment:numbering"),
                                         {"organisation": tree.root.pk, "year": 2024})
    text = page.content.decode()
    assert "quyết định theo danh sách" in text
    assert first.full_name in text and "Vũ Thị Lan" in text


def test_a_gap_is_explained_and_its_number_never_taken(users, tree, walk, branch_members,
                                                      as_user):
    first, second = two_at_the_door(users, tree, walk)
    approve(first, users, "3-QĐ/ĐU")
    register = decisions_register(tree)
    client = as_user(users.department)
    url = reverse("recruitment:numbering_void", args=[register.pk])
    prefix = f"s{register.pk}"
    refused = client.post(url, {f"{prefix}-first": 1, f"{prefix}-last": 2, f"{prefix}-reason": ""})
    assert refused.status_code == 400
    assert not register.numbers.filter(number__lt=3).exists()
    done = client.post(url, {f"{prefix}-first": 1, f"{prefix}-last": 2,
                             f"{prefix}-reason": "Dùng cho quyết định điều động cán bộ"})
    assert done.status_code == 302
    page = client.get(done["Location"])
    text = page.content.decode()
    assert "Dùng cho quyết định điều động cán bộ" in text and "chưa dùng" not in text
    with pytest.raises(services.WorkflowError) as err:
        approve(second, users, "2-QĐ/ĐU")
    assert "Số 2-QĐ/ĐU đã được ghi là không dùng" in err.value.message
    approve(second, users, "4-QĐ/ĐU")


def test_the_register_page_shows_gaps_as_unused(users, tree, walk, branch_members, as_user,
                                               django_assert_max_num_queries):
    first, second = two_at_the_door(users, tree, walk)
    approve(first, users, "2-QĐ/ĐU")
    approve(second, users, "5-QĐ/ĐU")
    client = as_user(users.department)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("recruitment:numbering"),
                          {"organisation": tree.root.pk, "year": 2024})
    text = page.content.decode()
    assert page.status_code == 200
    assert "1-QĐ/ĐU" in text and "3-QĐ/ĐU … 4-QĐ/ĐU" in text and "chưa dùng" in text
    assert "2-QĐ/ĐU" in text and "Vũ Thị Lan" in text


def test_an_undone_step_keeps_its_number_for_the_same_dossier(users, tree, walk,
                                                            branch_members):
    first, _second = two_at_the_door(users, tree, walk)
    approve(first, users, "1-QĐ/ĐU")
    undo_last_step(actor=users.department, candidate=first, reason="Ghi nhầm ngày")
    row = decisions_register(tree).numbers.get()
    assert row.decision_id is None and row.paper() is None
    assert selectors.register_lines(row.sequence)[0].state == "undone"
    approve(first, users, "1-QĐ/ĐU")
    row.refresh_from_db()
    assert row.decision == first.decisions.get()


def test_the_register_pages_are_scoped_to_the_users_organisations(users, tree, as_user):
    outside = NumberSequence.objects.create(issuer=tree.gc2, year=2024,
                                            kind=NumberKind.RESOLUTION, suffix="NQ/ĐU", last=3)
    inside = NumberSequence.objects.create(issuer=tree.gc1, year=2024,
                                           kind=NumberKind.RESOLUTION, suffix="NQ/ĐU", last=3)
    office = as_user(users.office)  # the office of Đảng bộ Sở Một
    assert office.get(reverse("recruitment:numbering"), {"organisation": tree.gc1.pk,
                                                         "year": 2024}).status_code == 200
    assert office.get(reverse("recruitment:numbering"),
                      {"organisation": tree.gc2.pk}).status_code == 404
    data = {f"s{outside.pk}-first": 1, f"s{outside.pk}-reason": "Bỏ số"}
    assert office.post(reverse("recruitment:numbering_void", args=[outside.pk]),
                       data).status_code == 404
    assert not outside.numbers.exists()
    assert office.get(reverse("recruitment:numbering_void",
                              args=[inside.pk])).status_code == 405
    # A branch secretary keeps no register.
    assert as_user(users.secretary).get(reverse("recruitment:numbering")).status_code == 404


def test_the_register_is_in_the_navigation_of_its_keepers_only(users, as_user):
    url = reverse("recruitment:numbering")
    for keeper in (users.department, users.office):
        assert url in as_user(keeper).get(reverse("recruitment:worklist")).content.decode()
    assert url not in as_user(users.secretary).get(
        reverse("recruitment:worklist")).content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_numbers_taken_at_once_are_two_different_numbers(users, tree):
    people = [make_candidate(users, tree.b1, citizen_id=None, full_name=name)
              for name in ("Vũ Thị Lan", "Đỗ Văn Hùng")]
    barrier = threading.Barrier(2)
    taken, errors = [], []

    def take(person):
        try:
            barrier.wait(timeout=10)
            row = numbering.take(issuer=tree.root, kind=NumberKind.DECISION, day=DAY,
                                 candidate=person)
            taken.append(row.number)
        except Exception as err:  # noqa: BLE001 (reported by the assertion below)
            errors.append(repr(err))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(taken) == [1, 2]
    assert decisions_register(tree).last == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_one_number_typed_for_two_people_at_once_is_taken_once(users, tree, walk,
                                                              branch_members):
    first, second = two_at_the_door(users, tree, walk)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(person):
        try:
            barrier.wait(timeout=10)
            approve(person, users, "1-QĐ/ĐU")
            outcomes.append("ok")
        except services.WorkflowError as err:
            outcomes.append(err.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcomes.count("ok") == 1, outcomes
    assert "1-QĐ/ĐU" in next(o for o in outcomes if o != "ok")
    assert Decision.objects.filter(number="1-QĐ/ĐU").count() == 1
    assert decisions_register(tree).numbers.count() == 1


def test_a_new_register_continues_after_the_numbers_already_on_papers(candidate, walk, tree,
                                                                      users):
    """An office that reached 126-QĐ/ĐU in its books before the register existed is offered
    127, not 1 (numbers in another form do not count)."""
    walk(candidate)  # its admission decision 123-QĐ/ĐU of 2024, typed before any register
    Decision.objects.filter(candidate=candidate, kind="admission").update(number="126-QĐ/ĐU")
    NumberSequence.objects.filter(issuer=tree.root, year=2024).delete()
    RegisteredNumber.objects.filter(sequence__issuer=tree.root).delete()
    assert numbering.offer(tree.root, NumberKind.DECISION, 2024) == "127-QĐ/ĐU"
    assert numbering.offer(tree.root, NumberKind.DECISION, 2023) == "1-QĐ/ĐU"
