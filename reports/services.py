"""Writes that span models or change a report's status. Each validates before it saves.

A report's status changes only through `report_transition`, along the edges of TRANSITIONS;
the admin's form, its bulk actions and the demo loader all come through here."""

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from heritage.history import change_reason
from reports.images import CleanImage
from reports.models import (
    NO_CITATION_MESSAGE,
    Citation,
    DamageReport,
    Evidence,
    Proposal,
    evidence_content_lock,
    evidence_files_remove_if_unused,
)
from reports.vocabularies import Status
from sites.models import Monument

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = "reports.review_damagereport"

# (from, to) -> whether the move needs a reviewer.
TRANSITIONS: dict[tuple[str, str], bool] = {
    (Status.DRAFT, Status.IN_REVIEW): False,
    (Status.IN_REVIEW, Status.DRAFT): False,  # withdrawn for more work
    (Status.REJECTED, Status.DRAFT): False,  # reopened
    (Status.IN_REVIEW, Status.PUBLISHED): True,
    (Status.IN_REVIEW, Status.REJECTED): True,
    (Status.PUBLISHED, Status.RETRACTED): True,
    # Reinstated, when the retraction itself was the mistake: published anew (the change feed
    # lists both the retraction and the new publication).
    (Status.RETRACTED, Status.PUBLISHED): True,
}
ACTION_LABELS: dict[str, str] = {
    Status.IN_REVIEW: "Submit for review",
    Status.DRAFT: "Return to draft",
    Status.PUBLISHED: "Publish",
    Status.REJECTED: "Reject",
    Status.RETRACTED: "Retract",
}


def is_reviewer(user: User | AnonymousUser | None) -> bool:
    """Whether `user` may publish, reject and retract. None is the system itself (demo data)."""
    return user is None or user.has_perm(REVIEW_PERMISSION)


def report_next_statuses(*, report: DamageReport, user: User | AnonymousUser | None) -> list[str]:
    """The statuses `user` may move `report` to, in the order of Status."""
    return [
        to
        for to in Status.values
        if (report.status, to) in TRANSITIONS
        and (not TRANSITIONS[(report.status, to)] or is_reviewer(user))
    ]


def transition_error(
    *, report: DamageReport, to: str, user: User | AnonymousUser | None, reason: str = ""
) -> ValidationError | None:
    """Why `user` may not move `report` to `to` now, or None if they may. The error's code
    says which rule refuses it: "transition", "reviewer", "citation" (callers saving the
    citations in the same save check that one after them) or "reason"."""
    current = Status(report.status).label.lower()
    if (report.status, to) not in TRANSITIONS:
        allowed = [Status(t).label.lower() for (f, t) in TRANSITIONS if f == report.status]
        hint = (
            f" From {current} it can only become: {', '.join(allowed)}."
            if allowed
            else f" A {current} report stays {current}."
        )
        message = f"A {current} report cannot become {Status(to).label.lower()}.{hint}"
        return ValidationError(message, code="transition")
    if TRANSITIONS[(report.status, to)] and not is_reviewer(user):
        return ValidationError(
            "Only reviewers can publish, reject or retract reports.", code="reviewer"
        )
    if to == Status.PUBLISHED and not report.has_supporting_citation():
        return ValidationError(NO_CITATION_MESSAGE, code="citation")
    if to == Status.RETRACTED and not reason.strip():
        return ValidationError(
            "Say why the report is retracted: readers of the API are told it was withdrawn.",
            code="reason",
        )
    return None


# What a status change is called in a report's history.
CHANGE_REASONS: dict[str, str] = {
    Status.IN_REVIEW: "submitted for review",
    Status.DRAFT: "returned to draft",
    Status.PUBLISHED: "published",
    Status.REJECTED: "rejected",
    Status.RETRACTED: "retracted",
}


@transaction.atomic
def report_save(
    *,
    report: DamageReport,
    by: User | None,
    to: str | None = None,
    reason: str = "",
    changed: Iterable[str] = (),
    restored_from: datetime.datetime | None = None,
    save_parts: Callable[[], None] | None = None,
    validated: bool = False,
) -> DamageReport:
    """Save a curator's edits to `report`, its parts (`save_parts` saves the citations and
    photos, once the report has a key) and, last, a move to status `to`: one write of the
    report (its version grows by one, one history row whose change reason says what
    happened), or a ValidationError saying why not and nothing saved. `validated`: the
    caller's model form has just validated the report's fields and constraints."""
    adding = report._state.adding
    if to and (error := transition_error(report=report, to=to, user=by, reason=reason)):
        # A publication's citations may come with this very save: they are checked below.
        if error.code != "citation":
            raise error
    if adding and by is not None:
        report.created_by = by
    if by is not None:
        report.updated_by = by
        report._history_user = by
    if not adding and save_parts is not None:
        save_parts()  # before the report: a publication needs its citations saved
    if to:
        if to == Status.PUBLISHED and not report.has_supporting_citation():
            raise ValidationError(NO_CITATION_MESSAGE)
        _apply_status(report, to, reason)
    reasons = [
        change_reason(
            model=DamageReport, adding=adding, changed=changed, restored_from=restored_from
        ),
        CHANGE_REASONS.get(to or "", ""),
    ]
    report._change_reason = "; ".join(part for part in reasons if part) or "saved"
    if not validated:
        report.full_clean()
    report.save()
    if adding and save_parts is not None:
        save_parts()
    return report


def _apply_status(report: DamageReport, to: str, reason: str) -> None:
    reinstated = report.status == Status.RETRACTED and to == Status.PUBLISHED
    report.status = to
    if to == Status.IN_REVIEW:
        report.submitted_at = timezone.now()
    if reinstated:
        report.published_at, report.retracted_at, report.retraction_reason = None, None, ""
    if to == Status.PUBLISHED:
        report.published_at = report.published_at or timezone.now()
    if to == Status.RETRACTED:
        report.retraction_reason = reason.strip()
        report.retracted_at = timezone.now()


def report_transition(
    *, report: DamageReport, to: str, by: User | None, reason: str = ""
) -> DamageReport:
    """Move `report` to status `to`, or raise ValidationError saying why not."""
    return report_save(report=report, by=by, to=to, reason=reason)


def report_submit(*, report: DamageReport, by: User | None) -> DamageReport:
    return report_transition(report=report, to=Status.IN_REVIEW, by=by)


def report_publish(*, report: DamageReport, by: User | None) -> DamageReport:
    """Publish a report in review. Refused, with a message, when no citation backs it."""
    return report_transition(report=report, to=Status.PUBLISHED, by=by)


# (sha256, extension, storage name) of the photo files written inside
# `evidence_files_kept_if_saved`.
_files_written: ContextVar[list[tuple[str, str, str]] | None] = ContextVar(
    "files_written", default=None
)


@contextmanager
def evidence_files_kept_if_saved() -> Iterator[None]:
    """Photo files are written before their rows, so that a store that fails is an error the
    curator sees. Wrap a whole transaction that attaches photos (an admin save) in this: once
    it is over, the files it wrote that no row refers to (it raised, or rolled back) are
    removed, so a refused or failed save never leaves a file behind."""
    written: list[tuple[str, str, str]] = []
    token = _files_written.set(written)
    try:
        yield
    finally:
        _files_written.reset(token)
        contents: dict[tuple[str, str], list[str]] = {}
        for sha256, extension, name in written:
            contents.setdefault((sha256, extension), []).append(name)
        # Still inside a transaction marked for rollback: it wrote them, it will not commit.
        doomed = connection.in_atomic_block and connection.needs_rollback
        for (sha256, extension), names in contents.items():
            _files_discard_unless_used(sha256, extension, names, uncommitted=doomed)


def _files_discard_unless_used(
    sha256: str, extension: str, written: list[str], *, uncommitted: bool
) -> None:
    """Remove the files a save wrote, unless a row uses their photo (one committed, or one of
    the transaction still open around this). If the database cannot say (the transaction
    around failed, or the database is down), the files go only if the transaction that wrote
    them is `uncommitted` for sure: it still holds the content's lock, so no one else can have
    begun to use them. Otherwise they stay, named in the log: a file too many, not a photo
    without its file."""
    try:
        evidence_files_remove_if_unused(sha256, extension)
    except (DatabaseError, TransactionManagementError):
        if not uncommitted:
            logger.exception("Could not tell whether photo files %s are used: kept", written)
            return
        for name in written:
            try:
                default_storage.delete(name)
            except Exception:
                logger.exception("Could not delete the photo file %s of a failed save", name)


def evidence_attach(
    *,
    report: DamageReport,
    image: CleanImage,
    caption: str,
    credit: str,
    licence: str,
    taken_on: datetime.date | None = None,
    monument: Monument | None = None,
) -> Evidence:
    """Store a checked photo (see reports.images.clean_upload) and attach it to `report`.
    Its files are written once per content: a photo already stored for another report is not
    written again. Should anything fail, the files this call wrote are removed again; should
    the caller's transaction fail later, `evidence_files_kept_if_saved` removes them."""
    evidence = Evidence(
        report=report,
        monument=monument,
        caption=caption,
        credit=credit,
        licence=licence,
        taken_on=taken_on,
        sha256=image.sha256,
        extension=image.extension,
        width=image.width,
        height=image.height,
    )
    evidence.full_clean()
    contents = {"original": image.original, "web": image.web, "thumbnail": image.thumbnail}
    written: list[str] = []
    try:
        with transaction.atomic():
            # Until this transaction (or the caller's) ends, the files found here stay.
            evidence_content_lock(image.sha256)
            for variant, content in contents.items():
                name = evidence.file_name(variant)
                if not default_storage.exists(name):
                    written.append(default_storage.save(name, ContentFile(content)))
            if (guard := _files_written.get()) is not None:
                guard.extend((image.sha256, image.extension, name) for name in written)
            evidence.save()
    except BaseException:
        if written:
            # The transaction above was rolled back (to its savepoint, or whole): no row of it
            # uses the files.
            _files_discard_unless_used(image.sha256, image.extension, written, uncommitted=True)
        raise
    return evidence


@transaction.atomic
def proposal_discard(
    *, report: DamageReport, by: User | None = None, merged_into: DamageReport | None = None
) -> None:
    """Throw away a draft the ingestion proposed (curators' own drafts are not discarded),
    remembering it for each article it cites, so that ingesting one again does not propose it
    again."""
    if report.proposal_confidence is None or report.status != Status.DRAFT:
        raise ValidationError("Only draft proposals made from an article can be discarded.")
    decided = {"discarded_by": by, "discarded_at": timezone.now(), "merged_into": merged_into}
    # The record of what was proposed (as proposed, whatever the draft became), and of the
    # draft as it now stands, for each article it cites.
    Proposal.objects.filter(report=report).update(**decided)
    for article_id in set(report.citations.values_list("article_id", flat=True)):
        Proposal.objects.update_or_create(
            article_id=article_id,
            site=report.site,
            monument=report.monument,
            damage_type=report.damage_type,
            defaults=decided,
        )
    report.delete()


@transaction.atomic
def proposal_merge(*, proposal: DamageReport, into: DamageReport, by: User | None) -> int:
    """Move a proposal's citations to an existing report about the same claim, then discard
    the proposal. Returns the number of citations added."""
    if proposal.proposal_confidence is None or proposal.status != Status.DRAFT:
        raise ValidationError("Only a draft proposal made from an article can be merged.")
    if into.pk == proposal.pk:
        raise ValidationError("Choose another report to merge the proposal into.")
    if into.status == Status.RETRACTED:
        raise ValidationError("A retracted report takes no new citations.")
    if into.is_public and not is_reviewer(by):
        raise ValidationError("Only reviewers can add citations to a published report.")
    # A quote about one place never backs a report about another (an outside probe merged an
    # Aleppo sentence into a Palmyra temple's report).
    if into.site_id != proposal.site_id:
        raise ValidationError(
            f"The proposal is about {proposal.site} and the other report about {into.site}: "
            "only reports about the same site are merged."
        )
    if into.monument_id and proposal.monument_id and into.monument_id != proposal.monument_id:
        raise ValidationError(
            f"The proposal is about {proposal.monument} and the other report about "
            f"{into.monument}: only reports about the same monument (or one about the whole "
            "site) are merged."
        )
    added = 0
    for citation in proposal.citations.all():
        exists = into.citations.filter(article=citation.article, quote=citation.quote).exists()
        if not exists:
            Citation.objects.create(
                report=into,
                article=citation.article,
                quote=citation.quote,
                location=citation.location,
            )
            added += 1
    proposal_discard(report=proposal, by=by, merged_into=into)
    return added
