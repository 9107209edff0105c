"""JSON-LD (`?format=jsonld`): every demo record expands with our own context (no other site)
and round-trips through pyld; the terms are CIDOC CRM's, the types Getty AAT's."""

import pytest
from pyld import jsonld

from reports.models import DamageReport
from reports.vocabularies import AAT_DAMAGE_TYPE, AAT_MONUMENT_KIND, DamageType
from sites.models import HeritageSite, Monument

pytestmark = pytest.mark.django_db
CRM = "http://www.cidoc-crm.org/cidoc-crm/"


@pytest.fixture
def loader(client):
    """pyld's document loader, answered by this app only: a document needs no network."""

    def load(url: str, options=None) -> dict:
        assert url.startswith("http://testserver/"), f"fetched {url} from outside"
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": response.json()}  # fmt: skip

    return {"documentLoader": load}


def demo_addresses() -> list[str]:
    addresses = ["/api/v1/sites/", "/api/v1/monuments/", "/api/v1/reports/"]
    addresses += [f"/api/v1/sites/{site.slug}/" for site in HeritageSite.objects.all()]
    addresses += [
        f"/api/v1/monuments/{m.site.slug}/{m.slug}/"
        for m in Monument.objects.select_related("site")
    ]
    addresses += [
        f"/api/v1/reports/{pk}/"
        for pk in DamageReport.objects.public().values_list("pk", flat=True)
    ]
    return addresses


def test_every_demo_record_expands_and_round_trips(client, demo, loader):
    addresses = demo_addresses()
    assert len(addresses) == 3 + 2 + 18 + 9
    for address in addresses:
        response = client.get(address, {"format": "jsonld"})
        assert response.status_code == 200, address
        assert response["Content-Type"] == "application/ld+json"
        document = response.json()
        expanded = jsonld.expand(document, loader)
        assert expanded, address
        # Nothing dropped on expansion (an unmapped term would be): it compacts back as it was.
        assert jsonld.compact(expanded, document["@context"], loader) == document, address


def test_a_destruction_is_an_e6_with_its_time_span_quotes_and_aat_types(client, demo, loader):
    bel = DamageReport.objects.get(monument__slug="temple-of-bel", occurred_on="2015-08-30")
    document = client.get(f"/api/v1/reports/{bel.pk}/", {"format": "jsonld"}).json()
    (node,) = jsonld.expand(document, loader)
    assert node["@type"] == [CRM + "E6_Destruction"]
    types = {t["@id"] for t in node[CRM + "P2_has_type"]}
    assert "http://vocab.getty.edu/aat/300262469" in types  # explosions
    assert "http://vocab.getty.edu/aat/300053087" in types  # destruction
    destroyed = node[CRM + "P13_destroyed"][0]
    assert destroyed["@id"].endswith("/api/v1/monuments/palmyra/temple-of-bel/")
    assert CRM + "E22_Human-Made_Object" in destroyed["@type"]
    (span,) = node[CRM + "P4_has_time-span"]
    begin = span[CRM + "P82a_begin_of_the_begin"][0]
    assert begin == {"@type": "http://www.w3.org/2001/XMLSchema#dateTime",
                     "@value": "2015-08-30T00:00:00Z"}  # fmt: skip
    quotes = [
        (q[CRM + "P190_has_symbolic_content"][0]["@value"], q[CRM + "P2_has_type"][0]["@id"])
        for q in node[CRM + "P67i_is_referred_to_by"]
        if CRM + "P106i_forms_part_of" in q
    ]
    assert len(quotes) == 3
    assert any(stance.endswith("#stance-disputes") for _, stance in quotes)
    source = node[CRM + "P67i_is_referred_to_by"][2][CRM + "P106i_forms_part_of"][0]
    assert CRM + "E73_Information_Object" in source["@type"]


def test_sites_and_monuments_say_their_unesco_and_wikidata_ids(client, demo, loader):
    site = client.get("/api/v1/sites/palmyra/", {"format": "jsonld"}).json()
    assert site["same_as"] == ["https://whc.unesco.org/en/list/23/"]
    (node,) = jsonld.expand(site, loader)
    assert node["http://www.w3.org/2002/07/owl#sameAs"] == [
        {"@id": "https://whc.unesco.org/en/list/23/"}
    ]
    arch = Monument.objects.get(slug="monumental-arch")
    arch.wikidata_id = "Q2669553"
    arch.save()
    monument = client.get("/api/v1/monuments/palmyra/monumental-arch/?format=jsonld").json()
    (node,) = jsonld.expand(monument, loader)
    assert node["http://www.w3.org/2002/07/owl#sameAs"] == [
        {"@id": "http://www.wikidata.org/entity/Q2669553"}
    ]
    assert "http://vocab.getty.edu/aat/300007003" in {t["@id"] for t in node[CRM + "P2_has_type"]}


def test_a_list_links_its_next_page_in_the_link_header(client, demo):
    response = client.get("/api/v1/reports/", {"format": "jsonld", "page_size": 2})
    assert len(response.json()["@graph"]) == 2
    assert 'rel="next"' in response["Link"] and "format=jsonld" in response["Link"]


def test_every_term_of_ours_has_its_aat_concept_or_says_it_has_none():
    assert set(AAT_DAMAGE_TYPE) == set(DamageType.values)
    assert set(AAT_MONUMENT_KIND) == set(Monument.Kind.values)
    for concept in [*AAT_DAMAGE_TYPE.values(), *AAT_MONUMENT_KIND.values()]:
        assert concept is None or (concept.isdigit() and concept.startswith("300"))
