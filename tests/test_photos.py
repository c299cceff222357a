"""Portfolio photos: real images only, bounded, and stored with every piece of metadata gone (SPEC §8)."""

import io
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin

from services.photos import PhotoError, clean, path_for, remove, store

GPS_IFD = 0x8825


@pytest.fixture
def app_overrides(tmp_path):
    return {
        "PHOTO_DIR": str(tmp_path / "photos"),
        "PHOTO_MAX_BYTES": 2_000_000,
        "PHOTO_MAX_PIXELS": 4_000_000,
    }


def jpeg_with_gps(orientation: int = 1, size=(64, 32)) -> bytes:
    """A JPEG carrying GPS coordinates, a camera model, a comment and an orientation tag."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera 3000"  # Model
    exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (33.0, 27.0, 0.0), 3: "E", 4: (126.0, 34.0, 0.0)}  # Jeju
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken at home")
    return out.getvalue()


def test_a_photo_with_gps_tags_is_stored_without_any(app):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS_IFD)  # the test photo really carries GPS
    with app.app_context():
        name = store(clean(original))
        stored = path_for(name).read_bytes()
        thumb = path_for(name, thumb=True).read_bytes()
    for data in (stored, thumb):
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
            assert (
                "exif" not in image.info and "icc_profile" not in image.info and "comment" not in image.info
            )
        assert b"Exif" not in data and b"Secret Camera" not in data and b"taken at home" not in data


def test_orientation_is_applied_before_the_tag_goes(app):
    with app.app_context():
        photo = clean(jpeg_with_gps(orientation=6, size=(64, 32)))  # 6: rotate 90° to display
    assert (photo.width, photo.height) == (32, 64)


def test_png_text_chunks_and_transparency_are_dropped(app):
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "37.5665 N, 126.9780 E")
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta>home address</x:xmpmeta>")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    with app.app_context():
        photo = clean(out.getvalue())
    assert b"37.5665" not in photo.full and b"xmpmeta" not in photo.full
    with Image.open(io.BytesIO(photo.full)) as stored:
        assert stored.mode == "RGB" and stored.getpixel((0, 0)) == (255, 255, 255)


def test_webp_with_xmp_is_accepted_and_cleaned(app):
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 10)).save(out, "WEBP", xmp=b"<x:xmpmeta>GPS 33.45</x:xmpmeta>")
    assert b"GPS 33.45" in out.getvalue()
    with app.app_context():
        photo = clean(out.getvalue())
    assert b"GPS 33.45" not in photo.full and photo.full.startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"\xff\xd8\xff\xe0" + b"\x00" * 50,  # a JPEG header and nothing else
        b"GIF89a" + b"\x00" * 40,
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"%PDF-1.4\n",
    ],
    ids=["empty", "text", "truncated-jpeg", "gif", "svg", "pdf"],
)
def test_what_is_not_a_whole_accepted_image_is_refused(app, data):
    with app.app_context(), pytest.raises(PhotoError) as refused:
        clean(data)
    assert refused.value.code == "not_image"


def test_a_gif_renamed_to_jpg_is_still_a_gif(app):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with app.app_context(), pytest.raises(PhotoError):
        clean(out.getvalue())


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims a huge canvas: a decompression bomb's calling card."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(3000, 3000), (60000, 60000), (2**20, 2**20)])
def test_decompression_bombs_are_refused_before_decoding(app, size):
    bomb = png_header_only(*size)
    assert len(bomb) < 200
    with app.app_context(), pytest.raises(PhotoError) as refused:
        clean(bomb)
    assert refused.value.code == "too_many_pixels"


def test_files_above_the_byte_limit_are_refused(app):
    with app.app_context(), pytest.raises(PhotoError) as refused:
        clean(b"\xff\xd8" + b"\x00" * 2_000_001)
    assert refused.value.code == "too_large"


def test_large_photos_are_scaled_down_and_removal_can_run_twice(app):
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000), (90, 90, 90)).save(out, "JPEG")
    with app.app_context():
        photo = clean(out.getvalue())
        assert (photo.width, photo.height) == (2048, 683)
        name = store(photo)
        assert path_for(name).exists() and path_for(name, thumb=True).exists()
        remove(name)
        remove(name)
        assert not path_for(name).exists()
