"""Candidates' professional qualification and occupation group read from the old free text
(`profession`, `occupation`), in the live table and its history, with the frozen reading
rules of members' 0008."""
import importlib

from django.db import migrations


def forward(apps, schema_editor):
    frozen = importlib.import_module("members.migrations.0008_qualification_from_text")
    for name in ("Candidate", "HistoricalCandidate"):
        model = apps.get_model("recruitment", name)
        frozen.fill(model, text_field="profession", category_field="qualification",
                    read=frozen.qualification_level, bare=frozen.bare_qualification)
        frozen.fill(model, text_field="occupation", category_field="occupation_group",
                    read=frozen.occupation_group)


class Migration(migrations.Migration):

    dependencies = [
        ("recruitment", "0011_figures_in_time"),
        ("members", "0008_qualification_from_text"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
