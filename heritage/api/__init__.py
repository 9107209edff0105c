"""The public, read-only API at /api/v1/. Its resources (viewsets, shapes, filters) live in the
apps that own them (reports/views.py registers all four); this package holds what they share:

- urls.py: the router, the OpenAPI schema and its docs page
- viewsets.py: PublicViewSet, the base of every endpoint (strict parameters, errors, caching)
- access.py: read-only access and throttling
- pagination.py: page numbers and keyset cursors
- filtering.py: strict filters, search and ordering
- renderers.py: JSON, GeoJSON and CSV
- schema.py: what the OpenAPI document says beyond drf-spectacular
- answer_cache.py: kept answers, filed under the public data version
- links.py, dates.py: links and dates as every format writes them
- errors.py: JSON 404s and 500s under /api/
"""
