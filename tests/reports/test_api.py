"""The reports and sources endpoints: content, filters, cursor pagination, CSV, query counts."""

import base64
import csv
import datetime
import io

import orjson
import pytest

from tests.api_data import make_world
from tests.factories import make_many_published_reports, make_published_report, make_site

pytestmark = pytest.mark.django_db

API = "/api/v1"


def result_ids(client, query: str = "") -> list[int]:
    response = client.get(f"{API}/reports/?page_size=500&{query}")
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def test_a_report_carries_its_place_dates_vocabulary_and_quotes(client, demo):
    response = client.get(f"{API}/reports/", {"monument": "palmyra/monumental-arch"})
    (report,) = response.json()["results"]
    assert report["site"]["slug"] == "palmyra"
    assert report["monument"]["key"] == "palmyra/monumental-arch"
    assert report["monument"]["url"].endswith("/api/v1/monuments/palmyra/monumental-arch/")
    assert (report["occurred_on"], report["occurred_on_precision"]) == ("2015-05-01", "month")
    assert (report["occurred_until"], report["occurred"]) == (
        "2016-03-27",
        "May 2015 – 27 March 2016",
    )
    assert (report["damage_type"], report["extent"]) == ("explosives", "destroyed")
    assert report["eamena_disturbance_cause"] == "Explosion/Heavy Weaponry"
    assert report["unosat_damage_class"] == "Destroyed"
    (citation,) = report["citations"]
    assert "its triumphal arch" in citation["quote"]
    assert citation["article"]["published_on"] == "2016-03-27"
    assert citation["location"] == "paragraph 6"


@pytest.fixture
def world():
    return make_world()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("site=palmyra", ["bel", "arch"]),
        ("site=hidden-valley", ["shrine"]),
        ("monument=palmyra/temple-of-bel", ["bel"]),
        ("country=IQ", ["shrine"]),
        ("country=sy", ["bel", "arch"]),
        ("kind=arch", ["arch"]),
        ("damage_type=looting", ["shrine"]),
        ("damage_type=looting&damage_type=explosives", ["bel", "arch", "shrine"]),
        ("extent=severe", ["shrine"]),
        ("occurred_after=2015-09-01", ["arch"]),
        ("occurred_before=2015-01-01", ["shrine"]),
        # The shrine's looting is dated "June 2014": it may have happened on 30 June.
        ("occurred_after=2014-06-30&occurred_before=2014-06-30", ["shrine"]),
        ("occurred_after=2014-07-01&occurred_before=2015-08-29", []),
        ("in_danger=true", ["bel", "arch"]),
        ("in_danger=false", ["shrine"]),
        ("unesco_id=999", ["shrine"]),
        ("search=Hidden Shrine", ["shrine"]),
        ("search=blown", ["bel", "arch", "shrine"]),
    ],
)
def test_each_filter_narrows_the_reports(client, world, query, expected):
    by_name = {"bel": 0, "arch": 1, "shrine": 2}
    wanted = {world["published"][by_name[name]].pk for name in expected}
    assert set(result_ids(client, query)) == wanted


def test_search_finds_a_report_by_a_monuments_other_name(client, demo):
    response = client.get(f"{API}/reports/", {"search": "Arch of Triumph"})
    assert [r["monument"]["name"] for r in response.json()["results"]] == ["Monumental Arch"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("site=nowhere", "site"),
        ("monument=palmyra", "monument"),
        ("monument=palmyra/nothing", "monument"),
        ("country=XX", "country"),
        ("country=Syria", "country"),
        ("kind=pyramid", "kind"),
        ("damage_type=meteor", "damage_type"),
        ("extent=total", "extent"),
        ("certainty=sure", "certainty"),
        ("occurred_after=yesterday", "occurred_after"),
        ("occurred_before=2015-02-30", "occurred_before"),
        ("in_danger=perhaps", "in_danger"),
        ("unesco_id=twenty-three", "unesco_id"),
        ("ordering=summary", "ordering"),
        ("cursor=not-a-cursor", "cursor"),
        ("page_size=many", "page_size"),
        ("page_size=-1", "page_size"),
        ("damagetype=fire", "damagetype"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(client, world, query, parameter):
    for suffix in ("", "&format=csv"):
        response = client.get(f"{API}/reports/?{query}{suffix}")
        if suffix and parameter in ("cursor", "page_size"):
            assert "Not used with format=csv" in response.json()[parameter][0]
            continue
        assert response.status_code == 400, (query, suffix)
        assert response["Content-Type"] == "application/json"
        assert list(response.json()) == [parameter]


def test_a_cursor_walks_every_report_exactly_once_in_order(client):
    site = make_site()
    day = datetime.date(2015, 8, 30)
    # Many reports on the same day: a cursor on the date alone would lose or repeat some.
    reports = [
        make_published_report(site, occurred_on=day - datetime.timedelta(days=i % 3))
        for i in range(23)
    ]
    expected = [r.pk for r in sorted(reports, key=lambda r: (r.occurred_on, r.pk), reverse=True)]

    seen, pages, url = [], [], f"{API}/reports/?page_size=4"
    while url:
        page = client.get(url).json()
        pages.append(page)
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert seen == expected
    assert len(pages) == 6 and pages[0]["previous"] is None

    # And back again from the last page.
    back, url = [], pages[-1]["previous"]
    while url:
        page = client.get(url).json()
        back = [r["id"] for r in page["results"]] + back
        url = page["previous"]
    assert back + [r["id"] for r in pages[-1]["results"]] == expected


def test_a_cursor_is_stable_when_reports_are_published_meanwhile(client):
    site = make_site()
    day = datetime.date(2015, 8, 30)
    originals = [make_published_report(site, occurred_on=day) for _ in range(6)]
    first = client.get(f"{API}/reports/?page_size=3").json()
    # Published after the first page was read, sorting before everything on it.
    make_published_report(site, occurred_on=day)
    second = client.get(first["next"]).json()
    seen = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(seen) == sorted(r.pk for r in originals)
    assert second["next"] is None


def test_ordering_by_publication(client, world):
    ids = result_ids(client, "ordering=published_at")
    assert ids == [r.pk for r in world["published"]]


def test_csv_streams_every_matching_report_with_the_same_filters(client, world):
    response = client.get(f"{API}/reports/", {"format": "csv", "site": "palmyra"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {int(row["id"]) for row in rows} == {world["published"][0].pk, world["published"][1].pk}
    bel = next(row for row in rows if row["monument"] == "Temple of Bel")
    assert (bel["latitude"], bel["longitude"]) == ("34.5475", "38.2744")
    assert bel["eamena_damage_severity"] == "Destroyed"
    assert bel["quotes"] == "Militants blew up the ancient temple on Sunday, witnesses said."


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(client):
    make_published_report(summary='=HYPERLINK("http://evil.example","click")')
    text = b"".join(client.get(f"{API}/reports/?format=csv").streaming_content).decode()
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["summary"].startswith("'=")


def test_sources_list_articles_with_the_reports_that_cite_them(client, demo):
    response = client.get(f"{API}/sources/")
    (source,) = [s for s in response.json()["results"] if s["published_on"] == "2016-03-27"]
    assert source["title"].startswith("Backed by Russia")
    assert len(source["cited_by"]) == 7
    assert {c["site"]["slug"] for c in source["cited_by"]} == {"palmyra"}


def test_sources_filter_and_order_by_publication_date(client, world):
    response = client.get(f"{API}/sources/", {"ordering": "published_on", "language": "en"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3
    assert client.get(f"{API}/sources/", {"published_after": "2030-01-01"}).json()["results"] == []
    assert client.get(f"{API}/sources/", {"published_after": "soon"}).status_code == 400


@pytest.fixture
def many_reports():
    """120 published reports over 30 monuments, each citing two articles (bulk-created)."""
    return make_many_published_reports(120)


# Bounds count the data version's lookup (answer_cache.response_cache_key), then the data.
@pytest.mark.parametrize("page_size", [1, 100])
@pytest.mark.parametrize(
    ("url", "bound"),
    [
        # One query for the page, citations and photos included (issue 12).
        ("/reports/", 1 + 1),
        ("/reports/?country=SY&damage_type=explosives&occurred_after=2015-01-01", 1 + 1),
        ("/reports/?search=blown", 1 + 1),
        ("/sources/", 1 + 2),
    ],
)
def test_report_and_source_lists_use_a_constant_number_of_queries(
    client, many_reports, django_assert_max_num_queries, page_size, url, bound
):
    separator = "&" if "?" in url else "?"
    with django_assert_max_num_queries(bound):
        response = client.get(f"{API}{url}{separator}page_size={page_size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size


def test_report_and_source_details_use_a_constant_number_of_queries(
    client, many_reports, django_assert_max_num_queries
):
    report = many_reports.damage_reports.first()
    with django_assert_max_num_queries(1 + 1):
        assert client.get(f"{API}/reports/{report.pk}/").status_code == 200
    article = report.citations.first().article
    with django_assert_max_num_queries(1 + 2):
        assert client.get(f"{API}/sources/{article.pk}/").status_code == 200


def test_the_csv_export_needs_one_query_per_chunk(
    client, many_reports, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # and the public data version, for its ETag
        response = client.get(f"{API}/reports/?format=csv")
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 121


def test_the_database_gives_each_reports_citations_and_photos_as_the_records_say(demo):
    """report_parts_sql is written for PostgreSQL and for SQLite: on each (CI runs the suite
    on both), the JSON rows are exactly the records' values, in the order they were added."""
    from reports.images import clean_upload
    from reports.models import DamageReport
    from reports.services import evidence_attach
    from tests.images import jpeg

    report = DamageReport.objects.public().order_by("pk").first()
    photo = evidence_attach(
        report=report,
        image=clean_upload(jpeg()),
        caption="Après «l'explosion»",
        credit="A. N. Other",
        licence="cc-by-4.0",
        taken_on=datetime.date(2016, 3, 28),
    )
    shown = DamageReport.objects.for_api().get(pk=report.pk)
    citations = report.citations.select_related("article").order_by("pk")
    assert orjson.loads(shown.citation_rows) == [
        [
            c.article_id,
            c.article.title,
            c.article.publisher,
            c.article.author,
            c.article.published_on.isoformat() if c.article.published_on else None,
            c.article.url,
            c.article.archive_url,
            None,  # no archived copy recorded: its time is null
            *(
                (c.article.republished_from.title, c.article.republished_from.publisher)
                if c.article.republished_from
                else (None, None)
            ),
            c.article.republished_from.url if c.article.republished_from else None,
            c.quote,
            c.location,
            c.stance,
        ]
        for c in citations
    ]
    assert orjson.loads(shown.photo_rows) == [
        [
            photo.pk,
            photo.caption,
            photo.credit,
            "cc-by-4.0",
            "2016-03-28",
            photo.width,
            photo.height,
        ]
    ]
    bare = DamageReport.objects.for_api().exclude(pk=report.pk).filter(evidence=None).first()
    assert bare.photo_rows in (None, "[]")  # none: null on PostgreSQL, [] on SQLite


def test_a_null_character_in_search_is_a_400_naming_it(client, world):
    response = client.get(f"{API}/reports/", {"search": "arch\x00"})
    assert response.status_code == 400
    assert response.json() == {"search": ["Null characters are not allowed."]}


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize("path", ["reports", "sources"])
@pytest.mark.parametrize(
    "key",
    [
        '["2015-01-01",Infinity]',
        '["2015-01-01",-Infinity]',
        '["2015-01-01",NaN]',
        '["2015-01-01",1e400]',
        '["2015-01-01",1e18]',
        '["2015-01-01",100000000000000000000]',
        '["2015-01-01",[1]]',
        '["2015-01-01",{"a":1}]',
        '["2015-01-01",null]',
        '["2015-01-01",true]',
        '["2015-01-01\\u0000",1]',
        '["2015-13-45",1]',
        '["2015-01-01"]',
        "[" * 100_000,
    ],
)
def test_a_forged_cursor_is_a_400_naming_it(client, world, path, key):
    response = client.get(f"{API}/{path}/", {"cursor": cursor(f'{{"d":"next","v":{key}}}')})
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_a_published_at_cursor_must_carry_its_time_zone(client, world):
    forged = cursor('{"d":"next","v":["2024-01-01T00:00:00",1]}')
    response = client.get(f"{API}/reports/", {"ordering": "published_at", "cursor": forged})
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


@pytest.mark.parametrize("query", ["cursor=", "page=7", "page_size=501", "format=", "bbox=1"])
def test_a_parameter_reports_do_not_read_is_a_400_naming_it(client, world, query):
    response = client.get(f"{API}/reports/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [query.partition("=")[0]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("format=geojson", "One of: json, api, csv, jsonld."),
        ("format=xml", "One of: json, api, csv, jsonld."),
    ],
)
def test_an_unsupported_format_is_a_400_naming_it(client, world, query, message):
    response = client.get(f"{API}/reports/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"format": [message]}


def test_a_missing_report_says_so_in_a_sentence_without_class_names(client, world):
    response = client.get(f"{API}/reports/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No published report has this id."}
    response = client.get(f"{API}/sources/999999/")
    assert response.json() == {"detail": "No article cited by a published report has this id."}
