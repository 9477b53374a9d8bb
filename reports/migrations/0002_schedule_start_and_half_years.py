import django.utils.timezone
from django.db import migrations, models


def start_where_set(apps, schema_editor):
    """A schedule saved before reporting had a start reports from the month it was last
    set: the periods before it were never asked of anyone."""
    ReportingSchedule = apps.get_model("reports", "ReportingSchedule")
    for schedule in ReportingSchedule.objects.all():
        schedule.starts_on = django.utils.timezone.localdate(schedule.updated_at).replace(day=1)
        schedule.save(update_fields=["starts_on"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_add_schedule_reports_and_reminders")]

    operations = [
        migrations.AddField(
            model_name="reportingschedule",
            name="starts_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(start_where_set, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportingschedule",
            name="starts_on",
            field=models.DateField(
                help_text="The first month reported on. Nothing before it is due or late.",
                verbose_name="reporting starts",
            ),
        ),
        migrations.AlterField(
            model_name="reportingschedule",
            name="frequency",
            field=models.CharField(
                choices=[("monthly", "Monthly"), ("quarterly", "Quarterly"), ("half_yearly", "Half-yearly")],
                default="monthly",
                max_length=16,
                verbose_name="reporting period",
            ),
        ),
    ]
