import calendar

from django.db import migrations, models


def fill_occurred_latest(apps, schema_editor):
    """Existing reports get the last day their period (at its precision) may stand for."""
    DamageReport = apps.get_model("reports", "DamageReport")
    for report in DamageReport.objects.all().iterator():
        date = report.occurred_until or report.occurred_on
        precision = report.occurred_until_precision or report.occurred_on_precision
        if precision == "year":
            date = date.replace(month=12, day=31)
        elif precision == "month":
            date = date.replace(day=calendar.monthrange(date.year, date.month)[1])
        report.occurred_latest = date
        report.save(update_fields=["occurred_latest"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="damagereport",
            name="occurred_latest",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(fill_occurred_latest, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="damagereport",
            name="occurred_latest",
            field=models.DateField(
                editable=False,
                help_text="The last day the damage may have happened on: the end of the period, "
                "or of the month or year when that is all that is known. Derived on save.",
            ),
        ),
        migrations.AddIndex(
            model_name="damagereport",
            index=models.Index(fields=["occurred_latest"], name="report_occurred_latest_idx"),
        ),
    ]
