"""The numeric parameters of the paths besides the straight one: how many failed recognition
votes before the branch reports up, and how long a former member waits to be readmitted."""
from datetime import date

from django.db import migrations

PARAMETERS = [
    ("RECOGNITION_FAILED_VOTES_MAX", 3, date(2016, 7, 25),
     "29-QĐ/TW (2016), điểm 4.2 c; 294-QĐ/TW 4.2.3: đã qua 3 lần biểu quyết không đạt 2/3"),
    ("READMISSION_WAIT_MONTHS", 36, date(2025, 7, 1),
     "294-QĐ/TW 3.5.1: ra khỏi Đảng ít nhất 36 tháng"),
    ("READMISSION_CRIME_WAIT_MONTHS", 60, date(2025, 7, 1),
     "294-QĐ/TW 3.5.1: tội phạm ít nghiêm trọng, 60 tháng từ ngày được xóa án tích"),
]


def seed(apps, schema_editor):
    RuleParameter = apps.get_model("recruitment", "RuleParameter")
    RuleParameter.objects.bulk_create(
        [RuleParameter(code=c, value=v, effective_from=d, source=s) for c, v, d, s in PARAMETERS],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    RuleParameter = apps.get_model("recruitment", "RuleParameter")
    for code, _value, day, _source in PARAMETERS:
        RuleParameter.objects.filter(code=code, effective_from=day).delete()


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0009_education_categories")]
    operations = [migrations.RunPython(seed, unseed)]
