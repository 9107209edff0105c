"""Sites, monuments and damage reports as JSON-LD (`?format=jsonld`, and the releases), in
CIDOC CRM terms named as Linked Art names them (https://linked.art/): a monument is an E22
Human-Made Object, its site an E27 Site, a damage report an E5 Event (an E6 Destruction when
the monument was destroyed) with its E52 Time-Span, and each quoted passage an E33 Linguistic
Object forming part of its source, an E73 Information Object. Getty AAT concepts (`aat:`) classify
monument kinds and damage types (reports.vocabularies); UNESCO and Wikidata addresses are
`owl:sameAs`. Our own terms (stance, extent, certainty, corroboration, EDTF) are in the
`hd:` namespace, the context's own address.

Built from the records' one representation (reports.representations), never from the
database: what the JSON shows, the JSON-LD says. The context is served by us
(/api/v1/context.jsonld), so a document expands without any other site."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from heritage.api.links import AnyRequest
from reports.vocabularies import (
    AAT_DAMAGE_TYPE,
    AAT_DESCRIPTION,
    AAT_DESTRUCTION,
    AAT_MONUMENT_KIND,
    AAT_PRIMARY_NAME,
    AAT_WORLD_HERITAGE_SITE,
    Extent,
)

CRM = "http://www.cidoc-crm.org/cidoc-crm/"
AAT = "http://vocab.getty.edu/aat/"
WIKIDATA = "http://www.wikidata.org/entity/"


def _term(iri: str, *, many: bool = False, link: bool = False, datatype: str = "") -> dict:
    definition: dict[str, Any] = {"@id": iri}
    if link:
        definition["@type"] = "@id"
    elif datatype:
        definition["@type"] = datatype
    if many:
        definition["@container"] = "@set"
    return definition


def context(request: AnyRequest) -> dict[str, Any]:
    """The JSON-LD context of our documents: Linked Art's names for the CIDOC CRM classes and
    properties we use (the same IRIs as Linked Art's context, https://linked.art/ns/v1/
    linked-art.json), and our own terms under `hd:`."""
    return {
        "@context": {
            "@version": 1.1,
            "crm": CRM,
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "owl": "http://www.w3.org/2002/07/owl#",
            "la": "https://linked.art/ns/terms/",
            "aat": AAT,
            "wd": WIKIDATA,
            "hd": vocabulary_base(request),
            "id": "@id",
            "type": "@type",
            "_label": "rdfs:label",
            "HumanMadeObject": "crm:E22_Human-Made_Object",
            "Site": "crm:E27_Site",
            "Event": "crm:E5_Event",
            "Destruction": "crm:E6_Destruction",
            "TimeSpan": "crm:E52_Time-Span",
            "InformationObject": "crm:E73_Information_Object",
            "LinguisticObject": "crm:E33_Linguistic_Object",
            "Name": "crm:E33_E41_Linguistic_Appellation",
            "Identifier": "crm:E42_Identifier",
            "Type": "crm:E55_Type",
            "identified_by": _term("crm:P1_is_identified_by", link=True, many=True),
            "classified_as": _term("crm:P2_has_type", link=True, many=True),
            "timespan": _term("crm:P4_has_time-span", link=True),
            "took_place_at": _term("crm:P7_took_place_at", link=True, many=True),
            "occurred_in_the_presence_of": _term(
                "crm:P12_occurred_in_the_presence_of", link=True, many=True
            ),
            "destroyed": _term("crm:P13_destroyed", link=True),
            "part_of": _term("crm:P46i_forms_part_of", link=True, many=True),
            "referred_to_by": _term("crm:P67i_is_referred_to_by", link=True, many=True),
            "begin_of_the_begin": _term("crm:P82a_begin_of_the_begin", datatype="xsd:dateTime"),
            "end_of_the_end": _term("crm:P82b_end_of_the_end", datatype="xsd:dateTime"),
            "excerpt_of": _term("crm:P106i_forms_part_of", link=True),
            "content": "crm:P190_has_symbolic_content",
            "access_point": _term("la:access_point", link=True, many=True),
            "same_as": _term("owl:sameAs", link=True, many=True),
            "language": "hd:language",
            "edtf": "hd:edtf",
            "archived_copy": _term("hd:archivedCopy", link=True, many=True),
            "archived_at": _term("hd:archivedAt", datatype="xsd:dateTime"),
            "published_on": _term("hd:publishedOn", datatype="xsd:date"),
            "publisher": "hd:publisher",
            "reprint_of": _term("hd:reprintOf", link=True),
            "citation_count": _term("hd:citationCount", datatype="xsd:integer"),
            "source_count": _term("hd:independentSourceCount", datatype="xsd:integer"),
            "disputed": _term("hd:disputed", datatype="xsd:boolean"),
            "responsible_party": "hd:responsibleParty",
        }
    }


def vocabulary_base(request: AnyRequest) -> str:
    """The namespace of our own terms: the context's address, then `#`."""
    return context_url(request) + "#"


def context_url(request: AnyRequest) -> str:
    return request.build_absolute_uri(reverse("api:context"))


def _type(iri: str, label: str) -> dict[str, Any]:
    return {"id": iri, "type": "Type", "_label": label}


def _ours(request: AnyRequest, group: str, value: str) -> dict[str, Any]:
    """One of our vocabulary's terms as a type, e.g. hd:stance-disputes."""
    return _type(f"hd:{group}-{value}", f"{group}: {value}")


def _name(text: str, *, primary: bool = False, language: str = "") -> dict[str, Any]:
    name: dict[str, Any] = {"type": "Name", "content": text}
    if primary:
        name["classified_as"] = [_type("aat:" + AAT_PRIMARY_NAME, "preferred terms")]
    if language:
        name["language"] = language
    return name


def _description(text: str) -> dict[str, Any]:
    return {
        "type": "LinguisticObject",
        "content": text,
        "classified_as": [_type("aat:" + AAT_DESCRIPTION, "description")],
    }


def site_document(request: AnyRequest, site: Mapping[str, Any]) -> dict[str, Any]:
    """A site (its representation, reports.representations.site_with_counts or site_detail)."""
    document: dict[str, Any] = {
        "id": site["url"],
        "type": "Site",
        "_label": site["name"],
        "identified_by": [_name(site["name"], primary=True)]
        + [_name(n["name"], language=n["language"]) for n in site["other_names"]],
        "classified_as": [],
        "same_as": [],
    }
    if site["unesco_id"] is not None:
        document["identified_by"].append(
            {
                "type": "Identifier",
                "content": str(site["unesco_id"]),
                "classified_as": [_ours(request, "identifier", "unesco-world-heritage-id")],
            }
        )
        document["classified_as"].append(
            _type("aat:" + AAT_WORLD_HERITAGE_SITE, "World Heritage Sites")
        )
        document["same_as"].append(site["unesco_url"])
    if site["description"]:
        document["referred_to_by"] = [_description(site["description"])]
    return _without_empty(document)


def _monument_kind(request: AnyRequest, kind: str) -> list[dict[str, Any]]:
    types = [_ours(request, "monument-kind", kind)]
    if aat := AAT_MONUMENT_KIND.get(kind):
        types.append(_type("aat:" + aat, kind.replace("_", " ")))
    return types


def _monument_ref(request: AnyRequest, monument: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": monument["url"],
        "type": "HumanMadeObject",
        "_label": monument["name"],
        "classified_as": _monument_kind(request, monument["kind"]),
    }


def _site_ref(site: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": site["url"], "type": "Site", "_label": site["name"]}


def monument_document(request: AnyRequest, monument: Mapping[str, Any]) -> dict[str, Any]:
    """A monument (its representation: reports.representations.monument_with_condition or
    monument_detail)."""
    document: dict[str, Any] = {
        **_monument_ref(request, monument),
        "identified_by": [_name(monument["name"], primary=True)]
        + [_name(n["name"], language=n["language"]) for n in monument["other_names"]],
        "part_of": [_site_ref(monument["site"])],
        "same_as": ["wd:" + monument["wikidata_id"]] if monument["wikidata_id"] else [],
    }
    if monument["description"]:
        document["referred_to_by"] = [_description(monument["description"])]
    return _without_empty(document)


def _day_start(day: str | None) -> str | None:
    return None if day is None else f"{day}T00:00:00Z"


def _day_end(day: str | None) -> str | None:
    return None if day is None else f"{day}T23:59:59Z"


def _source(request: AnyRequest, article: Mapping[str, Any]) -> dict[str, Any]:
    source: dict[str, Any] = {
        "id": article["url"],
        "type": "InformationObject",
        "_label": article["title"],
        "publisher": article["publisher"],
        "published_on": article["published_on"],
        "access_point": [article["source_url"]] if article["source_url"] else [],
        "archived_copy": [article["archive_url"]] if article["archive_url"] else [],
        "archived_at": article["archived_at"],
    }
    if original := article["republished_from"]:
        source["reprint_of"] = {
            "type": "InformationObject",
            "_label": original["title"],
            "publisher": original["publisher"],
            "access_point": [original["source_url"]] if original["source_url"] else [],
        }
    return _without_empty(source)


def report_document(request: AnyRequest, report: Mapping[str, Any]) -> dict[str, Any]:
    """A damage report (its representation, reports.representations.report_representation):
    the event, where and when, what it did to which monument, and the quotes behind it."""
    destroyed = report["extent"] == Extent.DESTROYED
    place = report["monument"]
    subject = _monument_ref(request, place) if place else _site_ref(report["site"])
    damage = report["damage_type"]
    types = [_ours(request, "damage-type", damage)]
    if aat := AAT_DAMAGE_TYPE.get(damage):
        types.append(_type("aat:" + aat, damage.replace("_", " ")))
    if destroyed:
        types.append(_type("aat:" + AAT_DESTRUCTION, "destruction"))
    types += [
        _ours(request, "extent", report["extent"]),
        _ours(request, "certainty", report["certainty"]),
    ]
    document: dict[str, Any] = {
        "id": report["url"],
        "type": "Destruction" if destroyed else "Event",
        "_label": f"{subject['_label']}: {damage.replace('_', ' ')}, {report['occurred']}",
        "classified_as": types,
        "took_place_at": [_site_ref(report["site"])],
        "timespan": _without_empty(
            {
                "type": "TimeSpan",
                "identified_by": [_name(report["occurred"])],
                "edtf": report["occurred_edtf"],
                "begin_of_the_begin": _day_start(report["occurred_earliest"]),
                "end_of_the_end": _day_end(report["occurred_latest"]),
            }
        ),
        "responsible_party": report["responsible_party"],
        "citation_count": report["citation_count"],
        "source_count": report["source_count"],
        "disputed": report["disputed"],
        "referred_to_by": [_description(report["summary"])]
        + [
            {
                "type": "LinguisticObject",
                "content": citation["quote"],
                "classified_as": [_ours(request, "stance", citation["stance"])],
                "excerpt_of": _source(request, citation["article"]),
            }
            for citation in report["citations"]
        ],
    }
    if destroyed and place:
        document["destroyed"] = subject
    else:
        document["occurred_in_the_presence_of"] = [subject]
    return _without_empty(document)


def _without_empty(node: Mapping[str, Any]) -> dict[str, Any]:
    """Without empty strings, nulls and empty lists: JSON-LD drops them on expansion, and a
    document should round-trip as it is."""
    return {key: value for key, value in node.items() if value not in ("", None, [])}


def document(request: AnyRequest, make: Any, data: Any) -> dict[str, Any]:
    """A JSON-LD document of one record (`data`, its representation) or of a page of them (a
    dict with `results`): `make` turns one representation into its node."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return {
            "@context": context_url(request),
            "@graph": [make(request, item) for item in data["results"]],
        }
    return {"@context": context_url(request), **make(request, data)}
