"""Checking and cleaning uploaded photos with Pillow, entirely in memory: nothing is written
anywhere until a photo has passed every check.

A photographer in a conflict zone must not be located by their photo, so every stored image is
re-encoded from its pixels alone: no EXIF (GPS above all), no XMP, no text chunks, after the
EXIF orientation has been applied to the pixels. An embedded colour profile is applied to the
pixels too (they become sRGB) and replaced by the standard sRGB profile: a profile is a
free-form blob, in which text can be smuggled."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import cast

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # 50 megapixels: more than any camera a curator will meet
MAX_SIDE = 16_000
WEB_SIZE = 1600
THUMBNAIL_SIZE = 320
# Pillow format -> file extension of the stored original.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
SRGB_BYTES = SRGB.tobytes()


class ImageRejected(ValueError):
    """An upload that is not a photo we accept; the message is for the curator."""


@dataclass(frozen=True)
class CleanImage:
    """A checked photo, re-encoded without metadata, and its derivatives (JPEG)."""

    original: bytes
    extension: str
    web: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str


def _check_size(size: int) -> None:
    if size == 0:
        raise ImageRejected("The file is empty.")
    if size > MAX_UPLOAD_BYTES:
        megabytes = size / 1024 / 1024
        raise ImageRejected(f"The file is {megabytes:.0f} MB; photos may be at most 20 MB.")


def clean_uploaded_file(upload: UploadedFile) -> CleanImage:
    """`clean_upload` for a file uploaded to a form: its size is checked before a byte of it
    is read into memory (Django keeps large uploads on disk)."""
    _check_size(upload.size or 0)
    upload.seek(0)
    return clean_upload(upload.read(MAX_UPLOAD_BYTES + 1))


def clean_upload(data: bytes) -> CleanImage:
    """Check an uploaded file and return the cleaned photo, or raise ImageRejected."""
    _check_size(len(data))
    image, image_format = _decode(data)
    # Turn the pixels upright first: the orientation tag goes with the rest of the metadata.
    image = ImageOps.exif_transpose(image)
    image, icc_profile = _to_srgb(image, image.info.get("icc_profile"))
    image.info = {}
    original = _encode(image, image_format, icc_profile)
    return CleanImage(
        original=original,
        extension=ACCEPTED_FORMATS[image_format],
        web=_derivative(image, WEB_SIZE),
        thumbnail=_derivative(image, THUMBNAIL_SIZE),
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(original).hexdigest(),
    )


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """Open, check and fully decode; every failure becomes one readable ImageRejected."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own pixel limit and fails above twice that: both refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))  # reads the header only
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageRejected(
                    f"Only JPEG, PNG and WebP photos are accepted; this is {probe.format}."
                )
            width, height = probe.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise ImageRejected(
                    f"The image is {width} × {height} pixels; photos may have at most "
                    f"{MAX_PIXELS // 1_000_000} megapixels and {MAX_SIDE} pixels a side."
                )
            probe.verify()  # the file's structure
            image = Image.open(io.BytesIO(data))
            image.load()  # every pixel: a truncated file fails here
            return image, probe.format
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(
            "The image declares more pixels than any photo has (a decompression bomb)."
        ) from None
    except UnidentifiedImageError:
        raise ImageRejected(
            "This file is not an image, whatever its name says. Upload a JPEG, PNG or WebP."
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ImageRejected("The image is damaged or truncated and cannot be read.") from None


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> tuple[Image.Image, bytes | None]:
    """The pixels converted from their embedded colour profile to sRGB, and the standard sRGB
    profile to store with them; the image as it is, and no profile, when it had none. A
    profile that cannot be read or does not fit the pixels is dropped: its pixels are then
    taken as sRGB, as browsers take untagged images."""
    if not icc_profile:
        return image, None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if image.mode in ("RGBA", "LA", "P", "PA"):
            image, output_mode = image.convert("RGBA"), "RGBA"
        else:
            output_mode = "RGB"
        converted = ImageCms.profileToProfile(image, source, SRGB, outputMode=output_mode)
        return cast(Image.Image, converted), SRGB_BYTES  # None only with inPlace=True
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image, None


def _encode(image: Image.Image, image_format: str, icc_profile: bytes | None) -> bytes:
    """Re-encode the pixels in their own format, with no metadata but the standard sRGB
    profile where the upload had a profile."""
    buffer = io.BytesIO()
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=92, **options)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=92, **options)
    else:
        image.save(buffer, "PNG", optimize=True, **options)
    return buffer.getvalue()


def _derivative(image: Image.Image, size: int) -> bytes:
    """A JPEG at most `size` pixels a side, transparency laid on white."""
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    if copy.mode in ("RGBA", "LA", "P"):
        copy = copy.convert("RGBA")
        background = Image.new("RGB", copy.size, "white")
        background.paste(copy, mask=copy.getchannel("A"))
        copy = background
    elif copy.mode != "RGB":
        copy = copy.convert("RGB")
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()
