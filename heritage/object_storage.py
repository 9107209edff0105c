"""Photos in an S3-compatible bucket (Amazon S3, MinIO, Cloudflare R2, …), when
DJANGO_S3_BUCKET is set: django-storages' S3Storage, kept private, which can also hand out a
time-limited signed address of a file, so that a photo's bytes go from the bucket to the
browser without passing through a web worker (reports.views.evidence_file redirects there).

Imported only when settings.STORAGES names it: a plain `make run` never loads boto3."""

from typing import Any

from django.conf import settings
from storages.backends.s3 import S3Storage


class PrivateBucket(S3Storage):
    """A bucket nobody reads without a signature: objects are written without an ACL (the
    bucket's own, private by default, applies), and addresses to them are signed."""

    def signed_url(self, name: str, *, content_type: str, cache_control: str) -> str:
        """A GET address of `name` valid for PHOTO_URL_SECONDS, whose answer carries this
        Content-Type and Cache-Control (S3's response-* parameters, part of the signature)."""
        parameters: dict[str, Any] = {
            "ResponseContentType": content_type,
            "ResponseCacheControl": cache_control,
        }
        return self.url(name, parameters=parameters, expire=settings.PHOTO_URL_SECONDS)
