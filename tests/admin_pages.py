"""Helpers for walking the admin: every registered model, its pages, its filter choices."""

from django.contrib import admin
from django.urls import reverse


def registered_models() -> list:
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, page: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def filter_query_strings(response) -> list[str]:
    """The query string of every choice of every filter on a changelist response."""
    changelist = response.context["cl"]
    return [
        choice["query_string"]
        for spec in changelist.filter_specs
        for choice in spec.choices(changelist)
    ]


def form_values(response, form_id: str | None = None) -> dict[str, list[str]]:
    """What a browser would post from the admin form on `response` (the change or add form,
    or the form with `form_id`): every named field with its current value, no submit buttons
    or file inputs, and no inline templates (`__prefix__`)."""
    import lxml.html

    page = lxml.html.fromstring(response.content.decode())
    forms = (
        page.xpath(f'//form[@id="{form_id}"]')
        if form_id
        else page.xpath('//form[contains(@id, "_form")]')
    )
    values: dict[str, list[str]] = {}
    for form in forms[:1]:
        for name, value in form.form_values():
            if "__prefix__" not in name:
                values.setdefault(name, []).append(value)
    return values


def changelist_links(response) -> list[str]:
    """The query strings a curator can follow from a changelist: every filter choice, date
    hierarchy step, column sort and page link, as rendered."""
    import lxml.html

    page = lxml.html.fromstring(response.content.decode())
    links = {href for href in page.xpath("//a/@href") if href.startswith("?")}
    return sorted(links)


def form_errors(response) -> str:
    """The errors an admin form page shows, as one line naming each field (empty if none)."""
    context = response.context
    if context is None or "adminform" not in context:
        return ""
    errors = [
        f"{field}: {' '.join(messages)}"
        for field, messages in context["adminform"].form.errors.items()
    ]
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        if formset.non_form_errors():
            errors.append(f"{formset.prefix}: {' '.join(formset.non_form_errors())}")
        for number, form in enumerate(formset.forms):
            errors.extend(
                f"{formset.prefix}-{number}-{field}: {' '.join(messages)}"
                for field, messages in form.errors.items()
            )
    return " | ".join(errors)


def new_object_form_data(model) -> dict | None:
    """Valid add-form values for a new row of `model`, its related rows made by the factories;
    None for a model nobody has taught this yet."""
    import datetime

    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.models import Citation, DamageReport, Evidence, SourceArticle
    from reports.vocabularies import DamageType, Extent
    from sites.models import AlternativeName, HeritageSite, Monument
    from tests import factories
    from tests.images import jpeg

    n = next(factories._numbers)
    if model._meta.label == "jobs.Job":
        return {}  # never added by a form (started by its own pages): refused
    if model is HeritageSite:
        return {"name": f"New site {n}", "slug": f"new-site-{n}", "countries": ["SY"]}
    if model is Monument:
        site = factories.make_site()
        return {"site": site.pk, "name": f"Temple {n}", "slug": f"temple-{n}", "kind": "temple"}
    if model is AlternativeName:
        return {"monument": factories.make_monument().pk, "name": f"Other name {n}"}
    if model is SourceArticle:
        return {
            "title": f"New article {n}",
            "url": f"https://news.example.org/new-{n}",
            "publisher": "Example News",
            "published_on": "2015-09-01",
            "language": "en",
            "text": f"{factories.ARTICLE_TEXT}\nNew article {n}.",
        }
    if model is DamageReport:
        monument = factories.make_monument()
        return {
            "site": monument.site.pk,
            "monument": monument.pk,
            "occurred_on": datetime.date(2015, 8, 30).isoformat(),
            "damage_type": DamageType.EXPLOSIVES.value,
            "extent": Extent.DESTROYED.value,
            "summary": f"Blown up ({n}).",
        }
    if model is Citation:
        return {
            "report": factories.make_report().pk,
            "article": factories.make_article().pk,
            "quote": factories.ARTICLE_TEXT.splitlines()[0],
        }
    if model is Evidence:
        # A photo of its own each time: files are stored once under their content's hash.
        photo = jpeg(64 + n % 200, 48, "olive")
        return {
            "report": factories.make_report().pk,
            "upload": SimpleUploadedFile("photo.jpg", photo, content_type="image/jpeg"),
            "caption": "The cella after the blast.",
            "credit": "A. Photographer",
            "licence": Evidence.Licence.CC_BY.value,
        }
    if model is User:
        return {
            "username": f"curator{n}",
            "password1": "a-long-Passphrase-4-tests",
            "password2": "a-long-Passphrase-4-tests",
            "usable_password": "true",
        }
    if model is Group:
        return {"name": f"Group {n}"}
    return None
