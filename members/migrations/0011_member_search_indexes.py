"""Indexes for the member list and search on PostgreSQL (none on SQLite, where lists are small):

- trigrams on the folded name: a rare name ("tran xuan hung") is found in a country without
  reading the table;
- UPPER(card_number): the search also matches a card number whatever its case; with every
  side of the OR indexed the planner can combine them;
- the scope's names: (organisation_id, full_name, id) with what a search tests: a province's
  or a district's members are matched from the index alone (no visit to 30,000 table rows
  scattered over the disk), then only the page's rows are read.

Raw SQL, built CONCURRENTLY so that a national table (2 M members) keeps taking writes while
the index is made; the models do not declare these indexes (Django has no portable trigram
index), so the migration state does not change."""
from django.db import migrations

INDEXES = [
    ("member_search_trgm_idx",
     "ON members_member USING gin (search_name gin_trgm_ops)"),
    ("member_card_upper_idx", "ON members_member (UPPER(card_number))"),
    ("member_org_name_idx", "ON members_member (organisation_id, full_name, id) "
     "INCLUDE (search_name, card_number, citizen_id, status)"),
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
        ("members", "0010_member_name_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
