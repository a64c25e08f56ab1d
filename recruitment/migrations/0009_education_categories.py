"""Old free-text education ("12/12", "9/12 (bổ túc)", "Tốt nghiệp THCS") becomes one of the
statistics forms' categories; a text that names none becomes lower secondary only if it was
accepted before (it passed the old rule), so nobody's dossier changes meaning."""
import re

from django.db import migrations

_GRADE = re.compile(r"(\d{1,2})\s*/\s*(10|12)\b")


def _level(text):
    # A frozen copy of recruitment.education.education_level for grade/system and words.
    from members.models import fold

    folded = fold(text or "")
    if folded in ("literate", "primary", "lower_secondary", "upper_secondary"):
        return folded
    match = _GRADE.search(folded)
    if match:
        grade, system = int(match[1]), int(match[2])
        steps = {12: (12, 9, 5), 10: (10, 7, 4)}[system]
        if grade >= steps[0]:
            return "upper_secondary"
        if grade >= steps[1]:
            return "lower_secondary"
        if grade >= steps[2]:
            return "primary"
        return "literate"
    for words, level in ((r"\b(thpt|trung hoc pho thong|pho thong trung hoc|cap 3)\b",
                          "upper_secondary"),
                         (r"\b(thcs|trung hoc co so|pho thong co so|cap 2)\b", "lower_secondary"),
                         (r"\b(tieu hoc|cap 1)\b", "primary")):
        if re.search(words, folded):
            return level
    return "lower_secondary"


def forwards(apps, schema_editor):
    for name in ("Candidate", "HistoricalCandidate"):
        model = apps.get_model("recruitment", name)
        for value in model.objects.values_list("education", flat=True).distinct():
            level = _level(value)
            if level != value:
                model.objects.filter(education=value).update(education=level)
    Candidate = apps.get_model("recruitment", "Candidate")
    # The old free-text basis of an exemption was always the hardship-area case.
    Candidate.objects.exclude(education_exemption="").update(
        education_exemption_kind="hardship_area")


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0008_real_life_paths"), ("members", "0006_movements_and_leaving")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
