"""The rollups (figures kept per organisation and day) always equal the events: after random
movements, dossiers moving through the stages, deletions and a branch moving in the tree, the
check finds no difference, and the leadership's figures read from them equal the figures
computed from the events, for every organisation, period and counting basis."""
import random
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member, MemberStatus, Movement, MovementKind
from members.models import OrganisationKind as K
from recruitment.workflow import STAGE_ORDER
from reports import rollups
from reports.headline import headline_figures
from reports.models import Rollup
from reports.periods import current_term, current_year, resolve
from reports.selectors import compute_figures
from tests.factories import MemberFactory, OrganisationFactory

from .conftest import candidate

TODAY = date(2026, 11, 30)
M = MovementKind


def _random_history(tree, rng: random.Random, people: int = 40):
    branches = [tree.b1, tree.b2, tree.b3, tree.gb]
    for i in range(people):
        branch = rng.choice(branches)
        joined = date(2014, 1, 1) + timedelta(days=rng.randrange(0, 4000))
        decided = joined - timedelta(days=rng.randrange(0, 40)) if rng.random() < 0.6 else None
        member = MemberFactory(full_name=f"Người {i}", organisation=branch,
                               admitted_date=joined, movements=False,
                               official_date=joined + timedelta(days=365),
                               status=MemberStatus.OFFICIAL)
        Movement.objects.create(member=member, date=joined, decision_date=decided,
                                kind=rng.choice([M.PRESENT, M.ADMITTED, M.READMITTED]),
                                to_organisation=branch)
        day, here = joined, branch
        for _step in range(rng.randrange(0, 4)):
            day += timedelta(days=rng.randrange(20, 600))
            if day > TODAY:
                break
            roll = rng.random()
            if roll < 0.45:
                there = rng.choice([b for b in branches if b != here])
                Movement.objects.create(member=member, kind=M.TRANSFER_WITHIN, date=day,
                                        from_organisation=here, to_organisation=there)
                here = there
            elif roll < 0.6:
                Movement.objects.create(member=member, kind=M.TEMPORARY, date=day,
                                        from_organisation=here, to_organisation=tree.b3)
            else:
                kind = rng.choice([M.DIED, M.TRANSFER_OUT, M.EXPELLED, M.RESIGNED, M.REMOVED])
                Movement.objects.create(member=member, kind=kind, date=day,
                                        from_organisation=here)
                break
    for i in range(people // 2):
        c = candidate(rng.choice(branches), f"Quần chúng {i}",
                      stage=rng.choice(STAGE_ORDER),
                      due_date=rng.choice([None, TODAY - timedelta(days=rng.randrange(-90, 90))]))
        for _change in range(rng.randrange(0, 3)):
            c.stage = rng.choice(STAGE_ORDER)
            c.due_date = rng.choice([None, TODAY + timedelta(days=rng.randrange(-60, 60))])
            c.organisation = rng.choice(branches)
            c.save()


def _headline(f):
    return {
        "admitted": f.admitted,
        "by_year": [(y.year, y.admitted, y.target) for y in f.by_year],
        "by_month": f.by_month,
        "membership": (f.membership.at_start, f.membership.increases, f.membership.decreases,
                       f.membership.at_end, f.membership.left_undated),
        "pipeline": [(s.stage, s.count, s.overdue) for s in f.pipeline],
        "units": [(u.unit.code, u.admitted, u.target, u.members) for u in f.by_unit],
    }


def _increases(m):
    return {k: v for k, v in m.items() if v}


def _assert_same_figures(tree):
    periods = [current_year(date(y, 6, 1)) for y in (2016, 2021, 2026)]
    periods += [resolve(tree.root, "2020-2025"), current_term(tree.root, TODAY)]
    for org in (tree.root, tree.gc1, tree.partial, tree.b1, tree.gb):
        for period in periods:
            for basis in ("decision", "ceremony"):
                rolled = _headline(headline_figures(org, period, today=TODAY, basis=basis))
                counted = _headline(compute_figures(org, period, today=TODAY, basis=basis))
                for figures in (rolled, counted):
                    at_start, inc, dec, at_end, undated = figures["membership"]
                    figures["membership"] = (at_start, _increases(inc), _increases(dec),
                                             at_end, undated)
                assert rolled == counted, (org.code, period.label, basis)


@pytest.mark.parametrize("seed", [1, 2])
def test_rollups_equal_the_events_after_random_changes(tree, seed):
    rng = random.Random(seed)
    _random_history(tree, rng)
    assert rollups.differences() == (0, [])
    _assert_same_figures(tree)

    # Dossiers closed keep them equal too (movements and dossiers are never deleted).
    from recruitment.models import Candidate

    dossiers = list(Candidate.objects.all())
    for c in rng.sample(dossiers, 4):
        c.stage = "withdrawn"
        c.save()
    assert rollups.differences() == (0, [])
    _assert_same_figures(tree)


def test_a_branch_moving_in_the_tree_moves_its_figures(tree):
    _random_history(tree, random.Random(7))
    rollups.rebuild(TODAY)
    before = rollups.members_on([tree.gc1.pk, tree.gc2.pk], TODAY, "decision")
    on_b1 = rollups.members_on([tree.b1.pk], TODAY, "decision")[tree.b1.pk]
    assert on_b1 > 0
    tree.b1.parent = tree.gc2
    tree.b1.save()
    assert rollups.differences() == (0, [])
    after = rollups.members_on([tree.gc1.pk, tree.gc2.pk], TODAY, "decision")
    assert after[tree.gc1.pk] == before[tree.gc1.pk] - on_b1
    assert after[tree.gc2.pk] == before[tree.gc2.pk] + on_b1
    _assert_same_figures(tree)


def test_checkpoints_give_the_same_members_as_the_rows_alone(tree):
    _random_history(tree, random.Random(11))
    orgs = [tree.root.pk, tree.gc1.pk, tree.b1.pk, tree.gb.pk]
    days = [date(2016, 6, 30), date(2019, 12, 31), date(2024, 1, 1), TODAY]
    without = {d: rollups.members_on(orgs, d, "ceremony") for d in days}
    rollups.rebuild(TODAY)
    assert Rollup.objects.filter(metric__startswith="bal").exists()
    assert {d: rollups.members_on(orgs, d, "ceremony") for d in days} == without
    # A movement recorded later, dated in a year that has a checkpoint, moves the checkpoint.
    member = Member.objects.filter(organisation=tree.b1).first() or MemberFactory(
        organisation=tree.b1, movements=False)
    Movement.objects.create(member=member, kind=M.TRANSFER_IN, date=date(2015, 5, 5),
                            to_organisation=tree.b1)
    assert rollups.differences() == (0, [])
    assert rollups.members_on([tree.b1.pk], TODAY, "ceremony")[tree.b1.pk] == \
        without[TODAY][tree.b1.pk] + 1


def test_the_check_names_a_row_that_differs_and_rebuild_mends_it(tree):
    _random_history(tree, random.Random(5), people=10)
    row = Rollup.objects.filter(metric="in", item="admitted").first()
    Rollup.objects.filter(pk=row.pk).update(n=row.n + 2)
    count, found = rollups.differences()
    assert count == 1
    assert (found[0].organisation_id, found[0].stored, found[0].expected) == (
        row.organisation_id, row.n + 2, row.n)
    with pytest.raises(CommandError, match="1 dòng số liệu tổng hợp khác"):
        call_command("rollups", "check")
    call_command("rollups", "rebuild")
    call_command("rollups", "check")
    assert rollups.differences() == (0, [])


def test_the_leaders_figures_cost_the_same_few_queries_whatever_the_subtree(tree):
    def queries(org):
        with CaptureQueriesContext(connection) as ctx:
            headline_figures(org, current_term(org, TODAY), today=TODAY)
        return len(ctx)

    small = queries(tree.root)
    for i in range(6):
        grassroots = OrganisationFactory(kind=K.GRASSROOTS_COMMITTEE, parent=tree.root)
        for j in range(3):
            branch = OrganisationFactory(kind=K.BRANCH, parent=grassroots)
            MemberFactory(full_name=f"Thành viên {i}-{j}", organisation=branch)
    assert queries(tree.root) == small


def test_a_large_scope_page_reads_the_rollups_in_a_fixed_number_of_queries(
        tree, users, as_user, monkeypatch, django_assert_max_num_queries):
    from django.urls import reverse

    from reports import views

    _random_history(tree, random.Random(3), people=20)
    monkeypatch.setattr(views, "INLINE_MAX_BRANCHES", 1)
    client = as_user(users.leader)
    term = current_term(tree.root, TODAY)
    full = compute_figures(tree.root, term)
    url = reverse("reports:report", args=[tree.root.code, term.label])
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "đọc ngay từ số liệu đã cộng sẵn" in text
    assert f"<strong>{full.admitted}</strong>đảng viên kết nạp" in text
    assert f"<strong>{full.membership.at_end}</strong>đảng viên cuối kỳ" in text
    for unit in full.by_unit:
        assert unit.unit.name in text
    for i in range(4):
        branch = OrganisationFactory(kind=K.BRANCH, parent=tree.gc2)
        MemberFactory(full_name=f"Đảng viên mới {i}", organisation=branch)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_the_new_years_checkpoints_are_added_without_a_rebuild(tree):
    _random_history(tree, random.Random(13), people=15)
    rollups.rebuild(date(2025, 3, 1))  # checkpoints up to the end of 2024
    assert not Rollup.objects.filter(metric__startswith="bal", day=date(2025, 12, 31)).exists()
    orgs = [tree.root.pk, tree.gc1.pk, tree.b2.pk]
    before = rollups.members_on(orgs, TODAY, "decision")
    call_command("rollups", "checkpoint")  # in 2026: the year 2025 has ended
    assert Rollup.objects.filter(metric="bal.d", day=date(2025, 12, 31)).count() >= 3
    assert rollups.members_on(orgs, TODAY, "decision") == before
    assert rollups.differences() == (0, [])
    call_command("rollups", "checkpoint")  # nothing more to add
    assert rollups.differences() == (0, [])
