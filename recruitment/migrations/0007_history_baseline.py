"""A first history row for every member and candidate that existed before history was kept.

Without it, the first change of such a person has nothing to compare with, and their page
could not say what the old value was. The row holds the person as they are now, dated when
the record was created, through the "command" channel. People who already have a history
row are left alone, so running it again (or after a partial run) adds nothing.

Written in chunks with bulk inserts: it must get through millions of people.
"""
from django.db import migrations
from django.db.models import Exists, OuterRef

CHUNK = 2000


def write_baseline(apps, model_name, app_label):
    model = apps.get_model(app_label, model_name)
    historical = apps.get_model(app_label, f"Historical{model_name}")
    copied = [f.attname for f in historical._meta.concrete_fields
              if not f.name.startswith("history_")]
    people = (model._base_manager
              .filter(~Exists(historical._base_manager.filter(id=OuterRef("pk"))))
              .order_by("pk")
              .values(*copied, "created_at"))
    chunk = []
    for row in people.iterator(chunk_size=CHUNK):
        created_at = row.pop("created_at")
        chunk.append(historical(**row, history_date=created_at, history_type="+",
                                history_channel="command", history_user_id=None))
        if len(chunk) >= CHUNK:
            historical._base_manager.bulk_create(chunk)
            chunk = []
    if chunk:
        historical._base_manager.bulk_create(chunk)


def forwards(apps, schema_editor):
    write_baseline(apps, "Member", "members")
    write_baseline(apps, "Candidate", "recruitment")


class Migration(migrations.Migration):

    dependencies = [
        ("recruitment", "0006_candidate_history"),
        ("members", "0004_history_and_import_job"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
