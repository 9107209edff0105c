"""Every proposal is recorded when it is made, not only when it is discarded: a draft a curator
edited (another damage type, another place) was proposed again by the next ingestion of its
article. DiscardedProposal becomes Proposal; the drafts already proposed get their record."""

import django.db.models.deletion
from django.db import migrations, models


def record_drafts_proposed(apps, schema_editor):
    DamageReport = apps.get_model("reports", "DamageReport")
    Proposal = apps.get_model("reports", "Proposal")
    drafts = DamageReport.objects.filter(proposal_confidence__isnull=False, status="draft")
    for report in drafts.iterator():
        articles = set(report.citations.values_list("article_id", flat=True))
        for article_id in articles:
            Proposal.objects.get_or_create(
                article_id=article_id,
                site_id=report.site_id,
                monument_id=report.monument_id,
                damage_type=report.damage_type,
                defaults={"report": report},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0015_discarded_proposals"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="discardedproposal", name="discarded_proposal_site_unique"
        ),
        migrations.RemoveConstraint(
            model_name="discardedproposal", name="discarded_proposal_monument_unique"
        ),
        migrations.RenameModel(old_name="DiscardedProposal", new_name="Proposal"),
        migrations.AlterField(
            model_name="proposal",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="proposals",
                to="reports.sourcearticle",
            ),
        ),
        migrations.AlterField(
            model_name="proposal",
            name="discarded_at",
            field=models.DateTimeField(
                blank=True, help_text="When a curator discarded or merged the draft.", null=True
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="report",
            field=models.ForeignKey(
                blank=True,
                help_text="The draft proposed, while it exists (a curator may have changed it "
                "since).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="reports.damagereport",
            ),
        ),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("monument__isnull", True)),
                fields=("article", "site", "damage_type"),
                name="proposal_site_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("monument__isnull", False)),
                fields=("article", "monument", "damage_type"),
                name="proposal_monument_unique",
            ),
        ),
        migrations.RunPython(record_drafts_proposed, migrations.RunPython.noop),
    ]
