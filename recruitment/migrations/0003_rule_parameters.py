from datetime import date

from django.db import migrations

PARAMETERS = [
    ("AGE_MIN_YEARS", 18, date(2011, 1, 19), "Điều lệ Đảng (2011), Điều 1; 294-QĐ/TW 1.1.1"),
    ("AGE_MAX_YEARS", 60, date(2016, 7, 25), "29-QĐ/TW (2016); 294-QĐ/TW 1.1.2"),
    ("YOUTH_AGE_MAX_YEARS", 30, date(2016, 7, 25), "29-QĐ/TW (2016); 294-QĐ/TW 3.2"),
    ("CERT_VALID_MONTHS", 60, date(2022, 1, 18), "Hướng dẫn 06-HD/TW, điểm 5.4"),
    ("BRANCH_MIN_OFFICIAL", 3, date(2011, 1, 19), "Điều lệ Đảng (2011), Điều 4"),
    ("DECISION_DEADLINE_WD", 60, date(2016, 7, 25), "29-QĐ/TW 4.3.1; 232-QĐ/TW"),
    ("RECOGNITION_DEADLINE_WD", 30, date(2016, 7, 25), "29-QĐ/TW 4.3.1; 232-QĐ/TW"),
    ("CEREMONY_DEADLINE_WD", 30, date(2016, 7, 25), "294-QĐ/TW 4.1"),
    ("PROBATION_MONTHS", 12, date(2011, 1, 19), "Điều lệ Đảng (2011), Điều 5.1"),
    ("RECOGNITION_WINDOW_WD", 30, date(2016, 7, 25), "294-QĐ/TW 4.2"),
    ("INTRODUCER_TENURE_MONTHS", 12, date(2016, 7, 25), "294-QĐ/TW 3.2.1"),
    ("DOC_AGE_MONTHS", 12, date(2016, 7, 25), "Hướng dẫn nghiệp vụ của cấp ủy (6–12 tháng)"),
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
    dependencies = [("recruitment", "0002_holidays")]
    operations = [migrations.RunPython(seed, unseed)]
