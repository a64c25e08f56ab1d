"""Two approvers on the same dossier at once: exactly one succeeds (PostgreSQL row locks)."""
import threading
from datetime import date

import pytest
from django.db import connection, connections

from recruitment import services
from recruitment.models import Decision, Stage

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_approvals_of_the_same_dossier_at_once_let_exactly_one_through(
    candidate, walk, users
):
    walk(candidate, until="approve_admission")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(number):
        try:
            barrier.wait(timeout=10)
            services.perform("approve_admission", candidate=candidate, actor=users.department,
                             event_date=date(2024, 7, 15), data={"document_number": number})
            outcomes.append("ok")
        except services.WorkflowError as err:
            outcomes.append(err.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(f"{n}-QĐ/ĐU",)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert outcomes.count("ok") == 1, outcomes
    refusal = next(o for o in outcomes if o != "ok")
    assert "Có thể người khác vừa xử lý hồ sơ này" in refusal
    assert Decision.objects.filter(candidate=candidate).count() == 1
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ADMISSION_DECIDED
    assert candidate.events.filter(action="approve_admission").count() == 1
