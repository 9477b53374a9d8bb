from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_keep_former_password_hashes")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(default=False, verbose_name="must change password"),
        ),
        migrations.AddField(
            model_name="user",
            name="password_changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="password changed at"),
        ),
    ]
