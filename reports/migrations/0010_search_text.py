from django.db import migrations, models

from heritage.migration_operations import trigram_indexes


def fill_search_text(apps, schema_editor) -> None:
    """As DamageReport.search_words computes it (frozen here, as migrations must be)."""
    DamageReport = apps.get_model("reports", "DamageReport")
    AlternativeName = apps.get_model("sites", "AlternativeName")
    other_names: dict[int, list[str]] = {}
    for monument_id, name in AlternativeName.objects.order_by("pk").values_list(
        "monument_id", "name"
    ):
        other_names.setdefault(monument_id, []).append(name)
    changed = []
    reports = DamageReport.objects.select_related("site", "monument").order_by("pk")
    for report in reports.iterator(chunk_size=2000):
        parts = [report.summary, report.responsible_party, report.external_id, report.site.name]
        if report.monument_id:
            parts.append(report.monument.name)
            parts.extend(other_names.get(report.monument_id, []))
        report.search_text = "\n".join(part for part in parts if part).casefold()
        changed.append(report)
        if len(changed) == 2000:
            DamageReport.objects.bulk_update(changed, ["search_text"])
            changed = []
    DamageReport.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_ordering_indexes"),
        ("sites", "0003_unesco_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="damagereport",
            name="search_text",
            field=models.TextField(
                default="",
                editable=False,
                help_text="What search looks in, kept up to date on every save (see search_words).",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        *trigram_indexes(("reports_damagereport", "search_text"), case_folded=True),
        *trigram_indexes(
            ("reports_sourcearticle", "title"),
            ("reports_sourcearticle", "publisher"),
            ("reports_sourcearticle", "author"),
            ("reports_sourcearticle", "text"),
        ),
    ]
