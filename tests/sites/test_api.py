"""The sites and monuments endpoints: content, GeoJSON, sensitive locations, filters,
query counts."""

import csv
import io
from decimal import Decimal

import pytest
from geojson_pydantic import Feature, FeatureCollection

from sites.models import HeritageSite
from tests.api_data import make_world
from tests.factories import make_many_published_reports, make_monument, make_site

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def world():
    return make_world()


def slugs(client, path: str, query: str = "") -> list[str]:
    response = client.get(f"{API}/{path}/?page_size=500&{query}")
    assert response.status_code == 200, response.content
    return [item["key"] for item in response.json()["results"]]


def test_a_site_has_its_unesco_facts_counts_and_monuments(client, demo):
    site = client.get(f"{API}/sites/palmyra/").json()
    assert (site["name"], site["unesco_id"], site["countries"]) == ("Site of Palmyra", 23, ["SY"])
    assert (site["in_danger"], site["in_danger_since"], site["criteria"]) == (
        True,
        2013,
        "(i)(ii)(iv)",
    )
    assert site["unesco_url"] == "https://whc.unesco.org/en/list/23/"
    assert site["published_reports"]["destroyed"] == 5
    monuments = {m["key"]: m for m in site["monuments"]}
    assert len(monuments) == 16
    assert monuments["palmyra/monumental-arch"]["condition"] == "destroyed"
    assert monuments["palmyra/agora"]["condition"] is None


def test_a_monument_has_its_names_condition_and_timeline(client, demo):
    bel = client.get(f"{API}/monuments/palmyra/temple-of-bel/").json()
    assert bel["alternative_names"] == ["Great Temple of Ba'al", "Temple of Baal", "معبد بل"]
    assert bel["other_names"] == [
        {"name": "Great Temple of Ba'al", "language": ""},
        {"name": "Temple of Baal", "language": ""},
        {"name": "معبد بل", "language": "ar"},
    ]
    palmyra = client.get(f"{API}/sites/palmyra/").json()
    assert palmyra["other_names"] == [{"name": "تدمر", "language": "ar"}]
    assert (bel["latitude"], bel["longitude"]) == (34.5475, 38.2744)
    assert bel["condition"] == "destroyed"
    assert bel["condition_report"] == bel["timeline"][0]["url"]
    assert [entry["damage_type"] for entry in bel["timeline"]] == ["explosives", "explosives"]


def test_a_later_report_of_unknown_extent_does_not_erase_a_known_condition(client, demo):
    import datetime

    from reports.vocabularies import DamageType, Extent
    from sites.models import Monument
    from tests.factories import make_published_report

    theatre = Monument.objects.get(slug="roman-theatre")
    make_published_report(
        monument=theatre, occurred_on=datetime.date(2017, 1, 10), extent=Extent.SEVERE
    )
    make_published_report(
        monument=theatre,
        occurred_on=datetime.date(2017, 3, 2),
        extent=Extent.UNKNOWN,
        damage_type=DamageType.MINES,
    )
    theatre_json = client.get(f"{API}/monuments/palmyra/roman-theatre/").json()
    assert (theatre_json["condition"], theatre_json["condition_since"]) == ("severe", "2017-01-10")
    assert len(theatre_json["timeline"]) == 3


def test_an_unknown_site_or_monument_is_a_json_404(client, demo):
    assert client.get(f"{API}/sites/atlantis/").status_code == 404
    response = client.get(f"{API}/monuments/palmyra/atlantis/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_sensitive_coordinates_are_coarsened_in_json(client, world):
    site = client.get(f"{API}/sites/hidden-valley/").json()
    assert (site["latitude"], site["longitude"], site["coordinates_coarsened"]) == (
        33.1,
        45.0,
        True,
    )
    shrine = client.get(f"{API}/monuments/hidden-valley/shrine/").json()
    assert (shrine["latitude"], shrine["longitude"]) == (33.1, 45.0)
    listed = {s["key"]: s for s in client.get(f"{API}/sites/").json()["results"]}
    assert listed["hidden-valley"]["latitude"] == 33.1
    # Other sites keep their exact coordinates.
    assert (listed["palmyra"]["latitude"], listed["palmyra"]["coordinates_coarsened"]) == (
        34.554167,
        False,
    )


def test_sensitive_coordinates_are_coarsened_in_geojson(client, world):
    collection = client.get(f"{API}/sites/", {"format": "geojson"}).json()
    points = {f["id"]: f["geometry"]["coordinates"] for f in collection["features"]}
    assert points["hidden-valley"] == [45.0, 33.1]  # longitude first
    monument = client.get(f"{API}/monuments/hidden-valley/shrine/", {"format": "geojson"})
    assert monument.json()["geometry"]["coordinates"] == [45.0, 33.1]


def test_sensitive_coordinates_are_coarsened_in_csv(client, world):
    text = b"".join(client.get(f"{API}/reports/?format=csv").streaming_content).decode()
    shrine = next(r for r in csv.DictReader(io.StringIO(text)) if r["monument"] == "Hidden Shrine")
    assert (shrine["latitude"], shrine["longitude"], shrine["coordinates_coarsened"]) == (
        "33.1",
        "45.0",
        "true",
    )


def test_a_bounding_box_cannot_locate_a_sensitive_site_more_exactly(client, world):
    # A tight box around the true position finds nothing; a box around the public one does.
    assert "hidden-valley" not in slugs(client, "sites", "bbox=44.98,33.12,44.99,33.13")
    assert "hidden-valley" in slugs(client, "sites", "bbox=44.95,33.05,45.05,33.15")
    assert "hidden-valley/shrine" not in slugs(client, "monuments", "bbox=44.95,33.11,44.96,33.12")
    assert "hidden-valley/shrine" in slugs(client, "monuments", "bbox=44.9,33.0,45.1,33.2")


def test_a_bounding_box_finds_exact_places_and_may_cross_the_antimeridian(client, world):
    assert slugs(client, "sites", "bbox=38.2,34.5,38.3,34.6") == ["palmyra"]
    assert slugs(client, "monuments", "bbox=38.27,34.54,38.28,34.55") == ["palmyra/temple-of-bel"]
    make_site(name="Fiji Site", slug="fiji", latitude="-17.7", longitude="178.0")
    make_site(name="Samoa Site", slug="samoa", latitude="-13.8", longitude="-171.8")
    assert slugs(client, "sites", "bbox=170,-20,-170,-10") == ["fiji", "samoa"]


def test_geojson_is_valid_rfc_7946(client, world):
    for path in ("sites/", "monuments/", "sites/palmyra/", "monuments/palmyra/temple-of-bel/"):
        response = client.get(f"{API}/{path}", {"format": "geojson"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        data = response.json()
        if path.count("/") == 1:
            collection = FeatureCollection.model_validate(data)
            assert len(collection.features) == data["count"]
        else:
            Feature.model_validate(data)


def test_places_without_coordinates_have_null_geometry_never_0_0(client, demo):
    data = client.get(f"{API}/monuments/", {"format": "geojson", "site": "palmyra"}).json()
    arch = next(f for f in data["features"] if f["id"] == "palmyra/monumental-arch")
    assert arch["geometry"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=SY", ["palmyra"]),
        ("country=iq", ["hidden-valley"]),
        ("unesco_id=23", ["palmyra"]),
        ("in_danger=true", ["palmyra"]),
        ("in_danger=false", ["hidden-valley"]),
        ("category=cultural", ["hidden-valley", "palmyra"]),
        ("search=valley", ["hidden-valley"]),
        ("ordering=-unesco_id", ["hidden-valley", "palmyra"]),
        ("ordering=year_inscribed", ["palmyra", "hidden-valley"]),
    ],
)
def test_each_site_filter_narrows(client, world, query, expected):
    keys = slugs(client, "sites", query)
    assert keys == expected if "ordering" in query else sorted(keys) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("site=palmyra", ["palmyra/monumental-arch", "palmyra/temple-of-bel"]),
        ("kind=shrine", ["hidden-valley/shrine"]),
        ("country=IQ", ["hidden-valley/shrine"]),
        ("in_danger=true", ["palmyra/monumental-arch", "palmyra/temple-of-bel"]),
        ("unesco_id=999", ["hidden-valley/shrine"]),
        ("search=bel", ["palmyra/temple-of-bel"]),
    ],
)
def test_each_monument_filter_narrows(client, world, query, expected):
    assert sorted(slugs(client, "monuments", query)) == expected


def test_monuments_are_found_by_their_alternative_names(client, demo):
    assert slugs(client, "monuments", "search=Arch of Triumph") == ["palmyra/monumental-arch"]


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("sites", "bbox=1,2,3", "bbox"),
        ("sites", "bbox=a,b,c,d", "bbox"),
        ("sites", "bbox=10,50,20,40", "bbox"),
        ("sites", "bbox=200,0,210,10", "bbox"),
        ("sites", "country=ZZ", "country"),
        ("sites", "in_danger=sometimes", "in_danger"),
        ("sites", "category=spiritual", "category"),
        ("sites", "unesco_id=x", "unesco_id"),
        ("sites", "unesco_id=2.5", "unesco_id"),
        ("sites", "ordering=description", "ordering"),
        ("sites", "page=0", "page"),
        ("sites", "page=", "page"),
        ("sites", "page=last", "page"),
        ("sites", "page=2", "detail"),  # past the last page: 404
        ("sites", "page_size=0", "page_size"),
        ("sites", "page_size=501", "page_size"),
        ("sites", "ordering=", "ordering"),
        ("sites", "format=", "format"),
        ("sites", "format=csv", "format"),
        ("sites", "cursor=abc", "cursor"),
        ("monuments", "format=csv", "format"),
        ("monuments", "cursor=abc", "cursor"),
        ("sites", "colour=red", "colour"),
        ("monuments", "site=atlantis", "site"),
        ("monuments", "kind=spaceport", "kind"),
        ("monuments", "bbox=0,0,1", "bbox"),
    ],
)
def test_a_bad_site_or_monument_filter_is_a_400_or_404_naming_it(
    client, world, path, query, parameter
):
    response = client.get(f"{API}/{path}/?{query}")
    assert response.status_code in (400, 404)
    assert list(response.json()) == [parameter]


def test_a_page_size_over_the_maximum_is_refused_not_silently_capped(client):
    for i in range(3):
        make_site(name=f"Site {i}")
    response = client.get(f"{API}/sites/?page_size=100000")
    assert response.status_code == 400
    assert response.json() == {"page_size": ["A whole number from 1 to 500."]}
    assert len(client.get(f"{API}/sites/?page_size=500").json()["results"]) == 3


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("sites/atlantis/", "No site has this slug."),
        ("monuments/palmyra/atlantis/", "No monument has this key (site slug / monument slug)."),
    ],
)
def test_a_missing_site_or_monument_says_so_in_a_sentence(client, world, path, message):
    response = client.get(f"{API}/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": message}


@pytest.mark.parametrize("path", ["sites/palmyra/", "monuments/palmyra/temple-of-bel/"])
@pytest.mark.parametrize("query", ["country=SY", "page=1", "search=bel", "ordering=name"])
def test_a_detail_takes_no_list_parameter(client, world, path, query):
    response = client.get(f"{API}/{path}?{query}")
    assert response.status_code == 400
    name = query.partition("=")[0]
    assert response.json() == {name: ["Unknown parameter. Known parameters: format."]}


def test_sites_order_by_several_fields_as_documented(client, world):
    assert slugs(client, "sites", "ordering=-in_danger_since,name") == ["palmyra", "hidden-valley"]
    # Empty values last, either way, on every database.
    assert slugs(client, "sites", "ordering=in_danger_since") == ["palmyra", "hidden-valley"]


@pytest.fixture
def many_sites() -> HeritageSite:
    """101 sites with coordinates; the returned one has 30 monuments and 120 published
    reports, the others a monument each."""
    busy = make_many_published_reports(120)
    for i in range(100):
        site = make_site(name=f"Other site {i}", latitude=Decimal("30"), longitude=Decimal(i))
        make_monument(site)
    return busy


# Bounds count the data version's lookup (answer_cache.response_cache_key), then the data.
@pytest.mark.parametrize("page_size", [1, 100])
@pytest.mark.parametrize(
    ("url", "bound"),
    [
        ("/sites/", 1 + 3),
        ("/sites/?format=geojson&country=SY&in_danger=false", 1 + 3),
        ("/sites/?bbox=-180,-90,180,90&search=site", 1 + 3),
        ("/monuments/", 1 + 3),
        ("/monuments/?format=geojson&kind=temple", 1 + 3),
        ("/monuments/?search=monument&country=SY", 1 + 3),
    ],
)
def test_site_and_monument_lists_use_a_constant_number_of_queries(
    client, many_sites, django_assert_max_num_queries, page_size, url, bound
):
    separator = "&" if "?" in url else "?"
    with django_assert_max_num_queries(bound):
        response = client.get(f"{API}{url}{separator}page_size={page_size}")
    assert response.status_code == 200
    data = response.json()
    assert len(data.get("results", data.get("features"))) == page_size


def test_site_and_monument_details_use_a_constant_number_of_queries(
    client, many_sites, django_assert_max_num_queries
):
    site = many_sites
    monument = site.monuments.first()
    with django_assert_max_num_queries(1 + 3):
        response = client.get(f"{API}/sites/{site.slug}/")
    assert len(response.json()["monuments"]) == 30
    with django_assert_max_num_queries(1 + 3):
        response = client.get(f"{API}/monuments/{monument.key}/")
    assert len(response.json()["timeline"]) == 4
