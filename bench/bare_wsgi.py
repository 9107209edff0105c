"""The physical limit, for the benchmark: a bare WSGI app that answers the benchmarked API
requests with the same JSON as ours, running the same SQL with psycopg2 and encoding with
orjson; no framework, no validation beyond what the SQL needs, no throttling, no caching.
Served by the same gunicorn settings as ours:

    DATABASE_URL=postgres://… gunicorn --chdir bench bare_wsgi:application

Endpoints (under /api/v1, like ours): /reports/ (cursor, page_size, country, damage_type,
occurred_after, occurred_before, search), /reports/<id>/, /sites/?format=geojson&page=N.
bench/serve_bench.py checks that each answer equals ours before it measures anything."""

import base64
import datetime
import os
import re
import sys
import threading
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reports.event_dates import EventDate  # noqa: E402 - no Django set-up
from reports.vocabularies import (  # noqa: E402 - plain dictionaries, no Django set-up
    EAMENA_DAMAGE_SEVERITY,
    EAMENA_DISTURBANCE_CAUSE,
    UNOSAT_DAMAGE_CLASS,
    Extent,
)

DATABASE_URL = os.environ["DATABASE_URL"]
API = "/api/v1"
_local = threading.local()

REPORT_COLUMNS = """r.id, r.occurred_on, r.occurred_on_precision, r.occurred_on_approximate,
    r.occurred_until, r.occurred_until_precision, r.occurred_until_approximate,
    r.occurred_earliest, r.occurred_latest, r.observed_on, r.damage_type, r.extent, r.certainty,
    r.assessment_basis, r.responsible_party, r.summary, r.external_id, r.published_at,
    r.updated_at, s.slug, s.name, s.unesco_id, m.id, m.slug, m.name, m.kind"""
REPORTS_FROM = """FROM reports_damagereport r
    JOIN sites_heritagesite s ON s.id = r.site_id
    LEFT JOIN sites_monument m ON m.id = r.monument_id"""
CITATIONS = """SELECT c.report_id, COALESCE(o.id, a.id), COALESCE(o.publisher, a.publisher),
    a.id, a.title, a.publisher, a.author, a.published_on, a.url, a.archive_url, a.archived_at,
    o.title, o.publisher, o.url, c.quote, c.location, c.stance
    FROM reports_citation c JOIN reports_sourcearticle a ON a.id = c.article_id
    LEFT JOIN reports_sourcearticle o ON o.id = a.republished_from_id
    WHERE c.report_id = ANY(%s) ORDER BY c.id"""
EVIDENCE = """SELECT report_id, id, caption, credit, licence, taken_on, width, height
    FROM reports_evidence WHERE report_id = ANY(%s) ORDER BY id"""
EXTENTS = list(Extent.values)
SITES = f"""SELECT s.id, s.latitude, s.longitude, s.name, s.slug, s.unesco_id, s.countries,
    s.region, s.category, s.criteria, s.year_inscribed, s.in_danger_since, s.description,
    s.location_is_sensitive, s.updated_at,
    (SELECT COALESCE(json_agg(json_build_object('name', n.name, 'language', n.language)
        ORDER BY n.name, n.id), '[]') FROM sites_sitename n WHERE n.site_id = s.id),
    (SELECT count(*) FROM sites_monument m WHERE m.site_id = s.id),
    {
    ", ".join(
        f"(SELECT count(*) FROM reports_damagereport r WHERE r.status = 'published' "
        f"AND r.site_id = s.id AND r.extent = '{extent}')"
        for extent in EXTENTS
    )
}
    FROM sites_heritagesite s ORDER BY s.name, s.id LIMIT %s OFFSET %s"""  # noqa: S608


def connection():
    """One connection per thread, kept open, as Django's CONN_MAX_AGE does."""
    if getattr(_local, "connection", None) is None or _local.connection.closed:
        _local.connection = psycopg2.connect(DATABASE_URL)
        _local.connection.autocommit = True
        with _local.connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
    return _local.connection


def query(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def application(environ, start_response):
    path = environ["PATH_INFO"]
    params = parse_qs(environ.get("QUERY_STRING", ""))
    base = f"http://{environ.get('HTTP_HOST', 'localhost')}{API}"
    if path == f"{API}/reports/":
        body = report_list(params, base)
    elif match := re.fullmatch(rf"{API}/reports/(\d+)/", path):
        body = report_detail(int(match[1]), base)
    elif path == f"{API}/sites/" and params.get("format") == ["geojson"]:
        body = site_features(params, base)
    else:
        body = None
    if body is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"Not found."}']
    content_type = "application/geo+json" if "format" in params else "application/json"
    start_response("200 OK", [("Content-Type", content_type)])
    return [orjson.dumps(body, option=orjson.OPT_UTC_Z)]


def report_list(params: dict, base: str) -> dict:
    size = int(params.get("page_size", ["50"])[0])
    where, args = ["r.status = 'published'"], []
    if "country" in params:
        where.append("s.countries LIKE %s")
        args.append(f"%{params['country'][0]}%")
    if "damage_type" in params:
        where.append("r.damage_type = ANY(%s)")
        args.append(params["damage_type"])
    if "occurred_after" in params:
        where.append("r.occurred_latest >= %s")
        args.append(params["occurred_after"][0])
    if "occurred_before" in params:
        where.append("r.occurred_on <= %s")
        args.append(params["occurred_before"][0])
    for word in params.get("search", [""])[0].casefold().split():
        where.append("r.search_text LIKE %s")
        args.append(f"%{word}%")
    if "cursor" in params:
        cursor = orjson.loads(base64.urlsafe_b64decode(params["cursor"][0]))
        where.append(
            "r.occurred_on <= %s AND (r.occurred_on < %s OR (r.occurred_on = %s AND r.id < %s))"
        )
        day, last_id = cursor["v"]
        args += [day, day, day, last_id]
    rows = query(
        f"SELECT {REPORT_COLUMNS} {REPORTS_FROM} WHERE {' AND '.join(where)} "  # noqa: S608
        "ORDER BY r.occurred_on DESC, r.id DESC LIMIT %s",
        [*args, size + 1],
    )
    more = len(rows) > size
    results = reports_with_citations(rows[:size], base)
    next_url = None
    if more:
        last = rows[size - 1]
        key = orjson.dumps({"d": "next", "v": [last[1].isoformat(), last[0]]})
        others = {k: v for k, v in params.items() if k != "cursor"}
        others["cursor"] = [base64.urlsafe_b64encode(key).decode()]
        query_string = urlencode(sorted(others.items()), doseq=True)
        next_url = f"{base}/reports/?{query_string}"
    previous = None
    if "cursor" in params and results:
        first = results[0]
        key = orjson.dumps({"d": "previous", "v": [first["occurred_on"], first["id"]]})
        others = {k: v for k, v in params.items() if k != "cursor"}
        others["cursor"] = [base64.urlsafe_b64encode(key).decode()]
        query_string = urlencode(sorted(others.items()), doseq=True)
        previous = f"{base}/reports/?{query_string}"
    return {"next": next_url, "previous": previous, "results": results}


def report_detail(report_id: int, base: str) -> dict | None:
    rows = query(
        f"SELECT {REPORT_COLUMNS} {REPORTS_FROM} "  # noqa: S608
        "WHERE r.status = 'published' AND r.id = %s",
        [report_id],
    )
    return reports_with_citations(rows, base)[0] if rows else None


def reports_with_citations(rows: list[tuple], base: str) -> list[dict]:
    ids = [row[0] for row in rows]
    citations: dict[int, list] = {}
    evidence: dict[int, list] = {}
    if ids:
        for report_id, origin, origin_publisher, *article, quote, location, stance in query(
            CITATIONS, [ids]
        ):
            shown = {"article": article_link(article, base), "quote": quote}
            shown |= {"location": location, "stance": stance}
            # What makes a source independent: reports.models.independent_source.
            shown["source"] = origin_publisher.strip().lower() or f"#{origin}"
            citations.setdefault(report_id, []).append(shown)
        for report_id, photo_id, *photo in query(EVIDENCE, [ids]):
            evidence.setdefault(report_id, []).append(photo_link(photo_id, photo, base))
    return [report(row, citations.get(row[0], []), evidence.get(row[0], []), base) for row in rows]


def report(row: tuple, citations: list, evidence: list, base: str) -> dict:
    (report_id, occurred_on, on_precision, on_approximate, occurred_until, until_precision,
     until_approximate, earliest, latest, observed_on,
     damage_type, extent, certainty, basis, responsible, summary, external_id, published_at,
     updated_at, site_slug, site_name, unesco_id, monument_id, monument_slug,
     monument_name, kind) = row  # fmt: skip
    monument = None
    if monument_id is not None:
        key = f"{site_slug}/{monument_slug}"
        monument = {
            "url": f"{base}/monuments/{key}/",
            "key": key,
            "slug": monument_slug,
            "name": monument_name,
            "kind": kind,
        }
    occurred = ("about " if on_approximate else "") + date_display(occurred_on, on_precision)
    if occurred_until is not None:
        end = date_display(occurred_until, until_precision or "day")
        occurred += " – " + ("about " if until_approximate else "") + end
    date = EventDate(occurred_on, on_precision, on_approximate, occurred_until, until_precision)
    date = date._replace(until_approximate=until_approximate)
    sources = {c.pop("source") for c in citations if c["stance"] == "supports"}
    return {
        "url": f"{base}/reports/{report_id}/",
        "id": report_id,
        "site": {
            "url": f"{base}/sites/{site_slug}/",
            "slug": site_slug,
            "name": site_name,
            "unesco_id": unesco_id,
        },
        "monument": monument,
        "occurred": occurred,
        "occurred_edtf": date.edtf,
        "occurred_on": occurred_on,
        "occurred_on_precision": on_precision,
        "occurred_on_approximate": on_approximate,
        "occurred_until": occurred_until,
        "occurred_until_precision": until_precision,
        "occurred_until_approximate": until_approximate,
        "occurred_earliest": earliest,
        "occurred_latest": latest,
        "observed_on": observed_on,
        "damage_type": damage_type,
        "eamena_disturbance_cause": EAMENA_DISTURBANCE_CAUSE[damage_type],
        "extent": extent,
        "eamena_damage_severity": EAMENA_DAMAGE_SEVERITY[extent],
        "unosat_damage_class": UNOSAT_DAMAGE_CLASS.get(extent),
        "certainty": certainty,
        "assessment_basis": basis,
        "responsible_party": responsible,
        "summary": summary,
        "external_id": external_id,
        "published_at": published_at,
        "updated_at": updated_at,
        "citation_count": len(citations),
        "source_count": len(sources),
        "single_source": len(sources) == 1,
        "disputed": any(c["stance"] == "disputes" for c in citations),
        "citations": [{k: v for k, v in c.items() if k != "source"} for c in citations],
        "evidence": evidence,
    }


def date_display(day: datetime.date, precision: str) -> str:
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


def article_link(article: list, base: str) -> dict:
    article_id, title, publisher, author, published_on, url, archive_url, archived_at = article[:8]
    original_title, original_publisher, original_url = article[8:]
    original = None
    if original_title is not None:
        original = {
            "title": original_title,
            "publisher": original_publisher,
            "source_url": original_url,
        }
    return {
        "url": f"{base}/sources/{article_id}/",
        "id": article_id,
        "title": title,
        "publisher": publisher,
        "author": author,
        "published_on": published_on,
        "source_url": url,
        "archive_url": archive_url,
        "archived_at": archived_at,
        "republished_from": original,
    }


def photo_link(photo_id: int, photo: list, base: str) -> dict:
    caption, credit, licence, taken_on, width, height = photo
    root = base.removesuffix(API)
    return {
        "image": f"{root}/evidence/{photo_id}/web/",
        "thumbnail": f"{root}/evidence/{photo_id}/thumbnail/",
        "caption": caption,
        "credit": credit,
        "licence": licence,
        "taken_on": taken_on,
        "width": width,
        "height": height,
    }


def site_features(params: dict, base: str) -> dict:
    size = int(params.get("page_size", ["50"])[0])
    page = int(params.get("page", ["1"])[0])
    count = query("SELECT count(*) FROM sites_heritagesite")[0][0]
    features = [site_feature(row, base) for row in query(SITES, [size, (page - 1) * size])]

    def page_url(number: int) -> str:
        others = {k: v for k, v in params.items() if k != "page"}
        if number > 1:
            others = {**others, "page": [str(number)]}
        return f"{base}/sites/?{urlencode(dict(sorted(others.items())), doseq=True)}"

    return {
        "type": "FeatureCollection",
        "features": features,
        "count": count,
        "next": page_url(page + 1) if page * size < count else None,
        "previous": page_url(page - 1) if page > 1 else None,
    }


def site_feature(row: tuple, base: str) -> dict:
    (_, latitude, longitude, name, slug, unesco_id, countries, region, category, criteria,
     year_inscribed, in_danger_since, description, sensitive, updated_at, other_names,
     monument_count, *counts) = row  # fmt: skip
    geometry = None
    if latitude is not None and longitude is not None:
        if sensitive:  # as HeritageSite.public_coordinates does
            latitude = latitude.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            longitude = longitude.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        geometry = {"type": "Point", "coordinates": [float(longitude), float(latitude)]}
    return {
        "type": "Feature",
        "id": slug,
        "geometry": geometry,
        "properties": {
            "url": f"{base}/sites/{slug}/",
            "key": slug,
            "slug": slug,
            "name": name,
            "other_names": other_names,
            "unesco_id": unesco_id,
            "unesco_url": f"https://whc.unesco.org/en/list/{unesco_id}/" if unesco_id else "",
            "countries": [code for code in countries.split(",") if code],
            "region": region,
            "category": category,
            "criteria": criteria,
            "year_inscribed": year_inscribed,
            "in_danger": in_danger_since is not None,
            "in_danger_since": in_danger_since,
            "coordinates_coarsened": sensitive,
            "description": description,
            "monument_count": monument_count,
            "updated_at": updated_at,
            "published_reports": dict(zip(EXTENTS, counts, strict=True)),
        },
    }
