"""The change feed (/api/v1/changes/): every publication, change and retraction, numbered in
the order they became visible, read from `since` on by following `next`."""

import threading
import time

import pytest
from django.db import connection, transaction

from reports.models import DamageReport, DerivedDataChanges, PublicChange, PublicDataVersion
from reports.services import report_transition
from reports.vocabularies import Status
from tests.factories import make_article, make_citation, make_monument, make_report

API = "/api/v1/changes/"


def read_all(client, url: str = API) -> tuple[list[dict], str]:
    """Every change from `url` on, following `next` until a page comes back empty; and the
    last `next`, where to ask again."""
    changes = []
    while True:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        assert page["next"], "a feed always says where to read on"
        changes += page["results"]
        if not page["results"]:
            return changes, page["next"]
        url = page["next"]


@pytest.fixture
def committed():
    """Call a function, then what follows a commit, as if it committed (a test runs in one
    transaction, whose on-commit work would never run)."""

    def run(function, *args, **kwargs):
        result = function(*args, **kwargs)
        for _, callback, *_ in connection.run_on_commit:
            if isinstance(callback, DerivedDataChanges) and not callback.applied:
                callback()
        return result

    return run


def publish(report: DamageReport, reviewer) -> DamageReport:
    if report.status == Status.DRAFT:
        report_transition(report=report, to=Status.IN_REVIEW, by=reviewer)
    return report_transition(report=report, to=Status.PUBLISHED, by=reviewer)


@pytest.mark.django_db
def test_publish_retract_and_republish_between_two_reads_are_all_listed(
    client, demo, reviewer, committed
):
    seen, resume = read_all(client)
    assert {c["action"] for c in seen} == {"published"} and len(seen) == 9
    report = make_report(monument=make_monument(), summary="Misdated, then confirmed.")
    make_citation(report)
    committed(publish, report, reviewer)
    committed(
        report_transition, report=report, to=Status.RETRACTED, by=reviewer, reason="Misdated."
    )
    committed(publish, report, reviewer)

    changes, _ = read_all(client, resume)
    assert [(c["report"]["id"], c["action"]) for c in changes] == [
        (report.pk, "published"),
        (report.pk, "retracted"),
        (report.pk, "published"),
    ]
    assert changes[0]["report"]["url"].endswith(f"/api/v1/reports/{report.pk}/")
    # Asked again from the same place, the same answer; from the last `next`, nothing new.
    assert read_all(client, resume)[0] == changes
    assert client.get(read_all(client, resume)[1]).json()["results"] == []


@pytest.mark.django_db
def test_an_edit_of_a_published_report_its_sources_and_its_site_are_changes(
    client, demo, reviewer, committed
):
    _, resume = read_all(client)
    report = DamageReport.objects.get(monument__slug="tower-of-elahbel")

    def edit():
        with transaction.atomic():  # several saves in one transaction: one change
            report.summary = "Destroyed with explosives."
            report.save()
            report.summary = "Destroyed with explosives by ISIS."
            report.save()

    committed(edit)
    article = report.citations.first().article
    article.title = "A corrected headline"
    committed(article.save)
    site = report.site
    site.name = "Palmyra (Tadmur)"
    committed(site.save)
    draft = make_report(monument=make_monument())
    committed(make_citation, draft)  # a draft's citation: not public, not listed

    changes, _ = read_all(client, resume)
    changed = [(c["report"]["id"], c["action"]) for c in changes]
    assert changed[:2] == [(report.pk, "changed"), (report.pk, "changed")]
    # The rename changes every published report of the site.
    renamed = {pk for pk, action in changed[2:]}
    assert renamed == set(
        DamageReport.objects.public().filter(site=site).values_list("pk", flat=True)
    )
    assert draft.pk not in {pk for pk, _ in changed}


@pytest.mark.django_db
def test_since_starts_from_a_moment_and_bad_values_are_400s(client, demo):
    everything, _ = read_all(client)
    later = client.get(API, {"since": "2100-01-01T00:00:00Z"}).json()
    assert later["results"] == [] and later["next"]
    since = everything[-1]["at"]
    assert [c["id"] for c in read_all(client, f"{API}?since={since}")[0]] == [everything[-1]["id"]]
    # An offset Python allows and PostgreSQL does not (beyond ±15:59) is the same moment in
    # UTC (found by the fuzzer: a 503 on PostgreSQL).
    far_east = client.get(API, {"since": "2100-01-01T20:48:48+20:04"})
    assert far_east.status_code == 200 and far_east.json()["results"] == []
    # The last two overflow in UTC: found by an outside probe (they were 500s).
    for bad in [
        "yesterday",
        "2016-13-01T00:00:00Z",
        "\x00",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
    ]:
        response = client.get(API, {"since": bad})
        assert response.status_code == 400, (bad, response.content)
        assert "since" in response.json()
    for bad in ["!", "eyJkIjoibmV4dCIsInYiOlsxXX0=", "eyJkIjoibmV4dCIsInYiOlsieCIsMV19"]:
        assert client.get(API, {"cursor": bad}).status_code == 400
    assert client.get(API, {"ordering": "sequence"}).status_code == 400
    assert client.get(API, {"page_size": 2}).json()["results"] == everything[:2]
    one = client.get(f"{API}{everything[0]['id']}/").json()
    assert one == everything[0]


@pytest.mark.django_db
def test_a_change_is_listed_only_once_its_transaction_has_committed(client, demo, reviewer):
    """Inside the transaction making it, a change has no number yet: readers do not see it
    (here: the on-commit work never runs, as if the commit had not happened)."""
    _, resume = read_all(client)
    report = make_report(monument=make_monument())
    make_citation(report)
    publish(report, reviewer)
    assert PublicChange.objects.filter(report=report, sequence__isnull=True).exists()
    assert read_all(client, resume)[0] == []


@pytest.mark.django_db
def test_the_feed_reads_a_constant_number_of_queries(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(API, {"page_size": 100})


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_a_change_committed_late_is_not_skipped_by_a_reader_that_read_past_it(client, reviewer):
    """Two curators publish at once; the one that wrote first commits last. A reader between
    the two commits sees the first commit's change, and then still gets the other: numbers
    are given at commit, under the version row's lock, not when the change was written."""
    from reports.demo import demo_load

    demo_load()
    _, resume = read_all(client)
    early, late = (make_report(monument=make_monument()) for _ in range(2))
    for report in (early, late):
        make_citation(report, make_article())
        report_transition(report=report, to=Status.IN_REVIEW, by=reviewer)
    written, release = threading.Event(), threading.Event()

    def slow_publish() -> None:
        try:
            with transaction.atomic():
                report_transition(report=early, to=Status.PUBLISHED, by=reviewer)
                written.set()
                release.wait(10)  # commits only after the other has committed and been read
        finally:
            connection.close()

    thread = threading.Thread(target=slow_publish)
    thread.start()
    written.wait(10)
    report_transition(report=late, to=Status.PUBLISHED, by=reviewer)  # commits at once
    first, resume = read_all(client, resume)
    assert [c["report"]["id"] for c in first] == [late.pk]
    release.set()
    thread.join(10)
    time.sleep(0.1)
    second, _ = read_all(client, resume)
    assert [(c["report"]["id"], c["action"]) for c in second] == [(early.pk, "published")]
    assert PublicDataVersion.current() > 0
