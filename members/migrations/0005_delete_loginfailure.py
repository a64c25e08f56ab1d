# Failed logins are now counted by django-axes (members/auth.py).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_history_and_import_job'),
    ]

    operations = [
        migrations.DeleteModel(
            name='LoginFailure',
        ),
    ]
