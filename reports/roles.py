"""The curators' roles, as Django groups. `manage.py setup_roles` (run by `make run`) creates
them and sets exactly these permissions, so re-running it repairs a group edited by hand."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITOR = "editor"
REVIEWER = "reviewer"

_EDIT = ["view", "add", "change"]
EDITOR_PERMISSIONS = [
    *(f"sites.{action}_{model}" for model in ("heritagesite", "monument") for action in _EDIT),
    *(f"sites.{action}_alternativename" for action in [*_EDIT, "delete"]),
    *(
        f"reports.{action}_{model}"
        for model in ("sourcearticle", "damagereport")
        for action in _EDIT
    ),
    *(f"reports.{action}_citation" for action in [*_EDIT, "delete"]),
    *(f"reports.{action}_evidence" for action in [*_EDIT, "delete"]),
    # The jobs list: what runs, what failed (each kind says who may start or retry it).
    "jobs.view_job",
]
ROLES = {
    # Creates and edits drafts, sources, sites and monuments; submits reports for review.
    EDITOR: EDITOR_PERMISSIONS,
    # Also publishes, rejects and retracts reports, and deletes unpublished ones.
    REVIEWER: [
        *EDITOR_PERMISSIONS,
        "reports.review_damagereport",
        "reports.delete_damagereport",
    ],
}


@transaction.atomic
def roles_setup() -> dict[str, int]:
    """Create or repair the groups; returns the number of permissions of each."""
    counts = {}
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [_permission(code) for code in codes]
        group.permissions.set(permissions)
        counts[name] = len(permissions)
    return counts


def _permission(code: str) -> Permission:
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
