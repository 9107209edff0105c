"""Image files for upload tests, good and bad, made on the spot."""

import io
import struct
import zlib

from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description photographer="Secret Name"/></rdf:RDF></x:xmpmeta>'
)


def jpeg_with_gps_and_rotation() -> bytes:
    """A 40 × 20 photo, left half red and right half blue, whose EXIF says "rotate 90° clockwise
    to display" and carries GPS coordinates (Palmyra), plus an XMP packet."""
    image = Image.new("RGB", (40, 20), "blue")
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (34.0, 33.0, 15.0)
    gps[3], gps[4] = "E", (38.0, 16.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), xmp=XMP, quality=95)
    return buffer.getvalue()


def jpeg(width: int = 64, height: int = 48, colour: str = "olive") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def png_bomb(side: int = 100_000) -> bytes:
    """A PNG header declaring side × side pixels, with a few bytes of compressed zeros."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * (side + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


BAD_FILES = {
    "truncated JPEG": (jpeg(400, 300)[:-2000], "damaged or truncated"),
    "PNG bomb": (png_bomb(), "decompression bomb"),
    "HTML named .jpg": (b"<html><script>alert(1)</script></html>", "not an image"),
    "zero-byte file": (b"", "empty"),
    "huge dimensions": (png(20_000, 2), "pixels a side"),
    "GIF": (gif(), "Only JPEG, PNG and WebP"),
    "over the size limit": (b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024 + 1), "at most 20 MB"),
}
