"""Demo terms and admission targets for `seed_demo`."""
from datetime import date

from members.models import Organisation, OrganisationKind

from .models import Target, Term


def seed_targets(today: date) -> int:
    root = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        return 0
    Term.objects.bulk_create([
        Term(organisation=root, label="2020-2025", start_date=date(2020, 10, 15),
             end_date=date(2025, 10, 20)),
        Term(organisation=root, label="2025-2030", start_date=date(2025, 10, 21),
             end_date=date(2030, 10, 20)),
    ])
    targets = [Target(organisation=root, term="2020-2025", admissions=60),
               Target(organisation=root, term="2025-2030", admissions=100)]
    targets += [Target(organisation=root, year=y, admissions=20 + 5 * (y % 2))
                for y in range(2020, today.year + 1)]
    grassroots = Organisation.objects.filter(parent=root).exclude(
        kind=OrganisationKind.UPPER_COMMITTEE)
    targets += [Target(organisation=g, year=today.year, admissions=4) for g in grassroots]
    Target.objects.bulk_create(targets)
    return len(targets)
