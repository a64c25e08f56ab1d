from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0008_qualification_from_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("hostname", models.CharField(max_length=255, verbose_name="máy")),
                ("pid", models.PositiveIntegerField(verbose_name="mã tiến trình")),
                ("started_at", models.DateTimeField(verbose_name="bắt đầu lúc")),
                ("seen_at", models.DateTimeField(db_index=True,
                                                 verbose_name="báo hoạt động lúc")),
            ],
            options={
                "verbose_name": "tiến trình nền",
                "verbose_name_plural": "tiến trình nền",
                "constraints": [models.UniqueConstraint(fields=("hostname", "pid"),
                                                        name="worker_heartbeat_process")],
            },
        ),
    ]
