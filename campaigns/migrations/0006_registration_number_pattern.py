import campaigns.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0005_add_certificate_pattern_and_named_title")]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="registration_pattern",
            field=models.CharField(
                default="{year}-{serial:05d}",
                help_text=(
                    "{year} is the year of registration and {serial:05d} its serial number, counted from 1 each "
                    "year, e.g. {year}-{serial:05d}."
                ),
                max_length=100,
                validators=[campaigns.validators.validate_registration_pattern],
                verbose_name="registration number pattern",
            ),
        ),
    ]
