"""DamageReport.objects.search: what it finds, and that its search text follows renames once
the transaction making them commits (django_capture_on_commit_callbacks runs what a commit
would: these tests' transactions never commit)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import DamageReport
from sites.models import AlternativeName
from tests.factories import make_monument, make_report, make_site

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    return set(DamageReport.objects.search(text).values_list("summary", flat=True))


@pytest.fixture
def reports(django_capture_on_commit_callbacks):
    # Committed, as far as the changes to apply on commit go: those of a later capture only
    # then find no changes pending from before it.
    with django_capture_on_commit_callbacks(execute=True):
        palmyra = make_site(name="Site of Palmyra")
        bel = make_monument(palmyra, name="Temple of Bel")
        AlternativeName.objects.create(monument=bel, name="معبد بل")
        arch = make_monument(palmyra, name="Monumental Arch")
        AlternativeName.objects.create(monument=arch, name="Arch of Triumph")
        aleppo = make_site(name="Ancient City of Aleppo")
        make_report(
            palmyra, monument=bel, summary="The cella was blown up.", responsible_party="ISIL"
        )
        make_report(palmyra, monument=arch, summary="Destroyed with explosives.")
        make_report(aleppo, summary="Shelling hit the Großer Markt.", external_id="SHI 15-0155")


@pytest.mark.parametrize(
    ("text", "summaries"),
    [
        ("cella", {"The cella was blown up."}),  # summary
        ("isil", {"The cella was blown up."}),  # responsible party, any case
        ("shi 15-0155", {"Shelling hit the Großer Markt."}),  # external id
        ("ALEPPO", {"Shelling hit the Großer Markt."}),  # site name
        ("palmyra", {"The cella was blown up.", "Destroyed with explosives."}),
        ("monumental", {"Destroyed with explosives."}),  # monument name
        ("Triumph", {"Destroyed with explosives."}),  # another name of the monument
        ("معبد", {"The cella was blown up."}),  # in Arabic
        ("GROSSER", {"Shelling hit the Großer Markt."}),  # case-folded: ß is ss
        ("palmyra blown", {"The cella was blown up."}),  # every word, in any field
        ("blown aleppo", set()),
        (
            "  ",
            {
                "The cella was blown up.",
                "Destroyed with explosives.",
                "Shelling hit the Großer Markt.",
            },
        ),  # fmt: skip
        ("100%", set()),  # LIKE wildcards are plain characters
        ("_", set()),
    ],
)
def test_search_finds_every_word_in_any_field(reports, text, summaries):
    assert found(text) == summaries


def test_renaming_a_monument_renames_it_in_search(reports, django_capture_on_commit_callbacks):
    arch = DamageReport.objects.get(summary="Destroyed with explosives.").monument
    with django_capture_on_commit_callbacks(execute=True):
        arch.name = "Triumphal Arch"
        arch.save()
        assert found("triumphal") == set()  # not before the commit
    assert found("triumphal") == {"Destroyed with explosives."}
    assert found("monumental") == set()


def test_renaming_a_site_renames_it_in_search(reports, django_capture_on_commit_callbacks):
    aleppo = DamageReport.objects.get(summary="Shelling hit the Großer Markt.").site
    with django_capture_on_commit_callbacks(execute=True):
        aleppo.name = "Halab"
        aleppo.save()
    assert found("halab") == {"Shelling hit the Großer Markt."}
    assert found("aleppo") == set()


def test_adding_and_removing_another_name_follows_in_search(
    reports, django_capture_on_commit_callbacks
):
    bel = DamageReport.objects.get(summary="The cella was blown up.").monument
    with django_capture_on_commit_callbacks(execute=True):
        other = AlternativeName.objects.create(monument=bel, name="Sanctuary of Bel")
    assert found("sanctuary") == {"The cella was blown up."}
    with django_capture_on_commit_callbacks(execute=True):
        other.name = "Shrine of Bel"
        other.save()
    assert found("sanctuary") == set()
    assert found("shrine") == {"The cella was blown up."}
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert found("shrine") == set()


def test_moving_another_name_to_another_monument_follows_in_search(
    reports, django_capture_on_commit_callbacks
):
    arch = DamageReport.objects.get(summary="Destroyed with explosives.").monument
    bel = DamageReport.objects.get(summary="The cella was blown up.").monument
    with django_capture_on_commit_callbacks(execute=True):
        other = arch.alternative_names.get()
        other.monument = bel
        other.save()
    assert found("triumph") == {"The cella was blown up."}


def report_updates(queries: CaptureQueriesContext) -> int:
    """How many UPDATE statements wrote reports."""
    table = DamageReport._meta.db_table
    return sum(query["sql"].startswith(f'UPDATE "{table}"') for query in queries.captured_queries)


def test_a_monument_saved_with_its_other_names_refreshes_its_reports_once(
    reports, django_capture_on_commit_callbacks
):
    arch = DamageReport.objects.get(summary="Destroyed with explosives.").monument
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            arch.name = "Triumphal Arch"
            arch.save()
            for i in range(5):
                AlternativeName.objects.create(monument=arch, name=f"Arc number {i}")
        assert report_updates(queries) == 1
    assert found("triumphal") == {"Destroyed with explosives."}
    assert found("number 4") == {"Destroyed with explosives."}


def test_saves_that_change_no_name_refresh_nothing(reports, django_capture_on_commit_callbacks):
    report = DamageReport.objects.get(summary="Destroyed with explosives.")
    arch, palmyra = report.monument, report.site
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            palmyra.description = "An oasis city."
            palmyra.save()
            arch.description = "Built under Septimius Severus."
            arch.save()
            for other in arch.alternative_names.all():
                other.save()
        assert report_updates(queries) == 0
        table = DamageReport._meta.db_table
        assert not [query for query in queries.captured_queries if table in query["sql"]]


def test_editing_a_report_updates_its_search_text(reports):
    report = DamageReport.objects.get(summary="Destroyed with explosives.")
    report.summary = "Dynamited in October 2015."
    report.save()
    assert found("dynamited") == {"Dynamited in October 2015."}


def test_refreshing_search_text_writes_only_what_changed(reports):
    assert DamageReport.objects.refresh_search_text() == 0
    DamageReport.objects.update(search_text="stale")
    assert DamageReport.objects.refresh_search_text() == 3
    assert found("cella") == {"The cella was blown up."}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_postgresql_has_the_trigram_indexes_search_uses():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%trgm'")
        indexes = dict(cursor.fetchall())
    assert "gin_trgm_ops" in indexes["reports_damagereport_search_text_trgm"]
    for name in ["sites_monument_name_trgm", "reports_sourcearticle_title_trgm"]:
        assert "upper" in indexes[name].lower()


def test_a_site_s_name_in_another_language_is_searched_from_when_it_is_added_until_removed(
    reports, django_capture_on_commit_callbacks
):
    from sites.models import SiteName

    aleppo = DamageReport.objects.get(summary="Shelling hit the Großer Markt.").site
    with django_capture_on_commit_callbacks(execute=True):
        name = SiteName.objects.create(site=aleppo, name="حلب", language="ar")
    assert found("حلب") == {"Shelling hit the Großer Markt."}
    with django_capture_on_commit_callbacks(execute=True):
        name.delete()
    assert found("حلب") == set()
