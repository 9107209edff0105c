"""Keep reports' search text in step with the names it copies from sites and monuments, and
count every change the public API may show (PublicDataVersion)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reports.models import Citation, DamageReport, Evidence, PublicDataVersion, SourceArticle
from sites.models import AlternativeName, HeritageSite, Monument

PUBLIC_MODELS = [
    HeritageSite,
    Monument,
    AlternativeName,
    DamageReport,
    Citation,
    SourceArticle,
    Evidence,
]


@receiver(post_save, sender=HeritageSite)
def site_saved(sender, instance: HeritageSite, raw: bool = False, **kwargs) -> None:
    if not raw:
        DamageReport.objects.filter(site=instance).refresh_search_text()


@receiver(post_save, sender=Monument)
def monument_saved(sender, instance: Monument, raw: bool = False, **kwargs) -> None:
    if not raw:
        DamageReport.objects.filter(monument=instance).refresh_search_text()


@receiver(post_save, sender=AlternativeName)
@receiver(post_delete, sender=AlternativeName)
def other_name_changed(sender, instance: AlternativeName, raw: bool = False, **kwargs) -> None:
    if not raw:
        DamageReport.objects.filter(monument_id=instance.monument_id).refresh_search_text()


def public_data_changed(sender, raw: bool = False, **kwargs) -> None:
    if not raw:
        PublicDataVersion.bump()


for model in PUBLIC_MODELS:
    post_save.connect(public_data_changed, sender=model, dispatch_uid=f"public-save-{model}")
    post_delete.connect(public_data_changed, sender=model, dispatch_uid=f"public-delete-{model}")
