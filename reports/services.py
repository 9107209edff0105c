"""Writes that span models or change a report's status. Each validates before it saves."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reports.models import NO_CITATION_MESSAGE, DamageReport
from reports.vocabularies import Status


@transaction.atomic
def report_publish(*, report: DamageReport, by: AbstractBaseUser | None) -> DamageReport:
    """Publish a report. Refused, with a message for the curator, when no citation backs it."""
    if not report.has_citations():
        raise ValidationError(NO_CITATION_MESSAGE)
    report.status = Status.PUBLISHED
    report.published_at = report.published_at or timezone.now()
    if by is not None:
        report.updated_by = by
    report.full_clean()
    report.save()
    return report
