from django.db import migrations, models


def numbers_as_printed(apps, schema_editor):
    """The numbers already given keep what they printed (the campaign's start year and the
    serial), now stored; the counters become the counters of that year."""
    Application = apps.get_model("applications", "Application")
    RegistrationCounter = apps.get_model("applications", "RegistrationCounter")
    Campaign = apps.get_model("campaigns", "Campaign")
    start_years = {pk: start.year for pk, start in Campaign.objects.values_list("pk", "start_date")}
    rows = []
    for application in Application.objects.filter(registration_number__isnull=False).only(
        "pk", "campaign_id", "registration_number"
    ).iterator(chunk_size=2000):
        year = start_years[application.campaign_id]
        application.registration_year = year
        application.registration_code = f"{year}-{application.registration_number:05d}"
        rows.append(application)
        if len(rows) == 2000:
            Application.objects.bulk_update(rows, ["registration_year", "registration_code"])
            rows = []
    Application.objects.bulk_update(rows, ["registration_year", "registration_code"])
    for counter in RegistrationCounter.objects.all():
        counter.year = start_years[counter.campaign_id]
        counter.save(update_fields=["year"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_index_submission_time"),
        ("campaigns", "0006_registration_number_pattern"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="application", name="application_registration_number_unique"),
        migrations.AlterField(
            model_name="application",
            name="registration_number",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="registration serial"),
        ),
        migrations.AddField(
            model_name="application",
            name="registration_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="year of registration"),
        ),
        migrations.AddField(
            model_name="application",
            name="registration_code",
            field=models.CharField(blank=True, max_length=100, verbose_name="registration number"),
        ),
        migrations.AlterField(
            model_name="registrationcounter",
            name="campaign",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="+", to="campaigns.campaign"
            ),
        ),
        migrations.AddField(
            model_name="registrationcounter",
            name="year",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(numbers_as_printed, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=~models.Q(registration_code=""),
                fields=("campaign", "registration_code"),
                name="application_registration_code_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="registrationcounter",
            constraint=models.UniqueConstraint(fields=("campaign", "year"), name="registration_counter_unique"),
        ),
    ]
