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
