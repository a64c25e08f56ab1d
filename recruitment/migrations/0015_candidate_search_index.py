"""Indexes for the candidate list and search on PostgreSQL (see members 0011: the extension,
and why they are raw SQL made CONCURRENTLY): trigrams on the folded name, and the scope's
names (organisation_id, search_name, id) with what a search or the stage filter tests, so a
province's candidates are matched from the index alone."""
from django.db import migrations

INDEXES = [
    ("cand_search_trgm_idx", "ON recruitment_candidate USING gin (search_name gin_trgm_ops)"),
    ("cand_org_name_idx", "ON recruitment_candidate (organisation_id, search_name, id) "
     "INCLUDE (citizen_id, stage)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("members", "0011_member_search_indexes"),
        ("recruitment", "0014_numbering_register"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
