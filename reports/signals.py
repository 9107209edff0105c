"""Record what each save or delete changed that derived data follows: renamed sites and
monuments (reports' search text copies their names) and changes the public sees (the public
data version). Recorded only: the refresh and the count happen once per transaction, on
commit (DerivedDataChanges); whether a change is public is decided in reports.models.

A pre_save receiver notes on the instance what its save will change, as the database had it
before; the post_save receiver records it once the row is written."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from reports.models import (
    Citation,
    DamageReport,
    DerivedDataChanges,
    Evidence,
    PublicChange,
    SourceArticle,
    article_public_changes,
    name_changes,
    part_public_changes,
    renamed_monuments,
    report_public_change,
)
from sites.models import AlternativeName, HeritageSite, Monument, SiteName


@receiver(pre_save, sender=HeritageSite)
@receiver(pre_save, sender=Monument)
def place_saving(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if not raw:
        instance._renamed = name_changes(instance, update_fields)


@receiver(post_save, sender=HeritageSite)
def site_saved(sender, instance: HeritageSite, raw: bool = False, **kwargs) -> None:
    if not raw:
        renamed = getattr(instance, "_renamed", False)
        DerivedDataChanges.record(site_id=instance.pk if renamed else None)


@receiver(post_save, sender=Monument)
def monument_saved(sender, instance: Monument, raw: bool = False, **kwargs) -> None:
    if not raw:
        renamed = getattr(instance, "_renamed", False)
        DerivedDataChanges.record(monument_ids=[instance.pk] if renamed else [])


@receiver(pre_save, sender=AlternativeName)
def other_name_saving(sender, instance: AlternativeName, raw: bool = False, **kwargs) -> None:
    if not raw:
        instance._renamed_monuments = renamed_monuments(instance)


@receiver(post_save, sender=AlternativeName)
def other_name_saved(sender, instance: AlternativeName, raw: bool = False, **kwargs) -> None:
    if not raw:
        DerivedDataChanges.record(monument_ids=getattr(instance, "_renamed_monuments", ()))


@receiver(post_delete, sender=AlternativeName)
def other_name_deleted(sender, instance: AlternativeName, **kwargs) -> None:
    DerivedDataChanges.record(monument_ids=[instance.monument_id])


@receiver(post_save, sender=SiteName)
@receiver(post_delete, sender=SiteName)
def site_name_changed(sender, instance: SiteName, raw: bool = False, **kwargs) -> None:
    # Its reports' search text holds the site's other names (one pass, on commit).
    if not raw:
        DerivedDataChanges.record(site_id=instance.site_id)


@receiver(post_delete, sender=HeritageSite)
@receiver(post_delete, sender=Monument)
def place_deleted(sender, instance, **kwargs) -> None:
    DerivedDataChanges.record()


@receiver(pre_save, sender=DamageReport)
def report_saving(sender, instance: DamageReport, raw: bool = False, **kwargs) -> None:
    if not raw:
        instance._public_change, action = report_public_change(instance)
        instance._report_changes = [] if action is None else [(instance.pk, action)]


@receiver(pre_save, sender=Citation)
@receiver(pre_save, sender=Evidence)
def part_saving(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        instance._public_change, changed = part_public_changes(instance)
        instance._report_changes = [(pk, PublicChange.Action.CHANGED) for pk in changed]


@receiver(pre_save, sender=SourceArticle)
def article_saving(sender, instance: SourceArticle, raw: bool = False, **kwargs) -> None:
    if not raw:
        instance._public_change, changed = article_public_changes(instance)
        instance._report_changes = [(pk, PublicChange.Action.CHANGED) for pk in changed]


@receiver(post_save, sender=DamageReport)
@receiver(post_save, sender=Citation)
@receiver(post_save, sender=Evidence)
@receiver(post_save, sender=SourceArticle)
def report_or_source_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw and getattr(instance, "_public_change", False):
        # A new report's id is known only now.
        changes = [(pk or instance.pk, action) for pk, action in instance._report_changes]
        DerivedDataChanges.record(report_changes=changes)


@receiver(post_delete, sender=DamageReport)
def report_deleted(sender, instance: DamageReport, **kwargs) -> None:
    if instance.seen_by_public:  # never, as the model refuses: but the public would see it
        DerivedDataChanges.record()
        # Its citations, deleted first, noted it as changed after its changes were collected.
        PublicChange.objects.filter(report_id=instance.pk).delete()


@receiver(post_delete, sender=Citation)
@receiver(post_delete, sender=Evidence)
def part_deleted(sender, instance, **kwargs) -> None:
    public, changed = part_public_changes(instance)
    if public:
        DerivedDataChanges.record(
            report_changes=[(pk, PublicChange.Action.CHANGED) for pk in changed]
        )
