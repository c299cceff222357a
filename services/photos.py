"""Portfolio photos (SPEC §8): proved to be images by decoding, bounded, stripped of all metadata.

Every accepted upload is decoded and drawn again into a fresh JPEG, so nothing
of the original file survives but its pixels: no EXIF (GPS above all), XMP,
IPTC, ICC or comments. Orientation is applied first, so a photo still stands
the right way up without its EXIF tag. Files are stored outside static/ under
random names and served with a fixed Content-Type.
"""

import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
FULL_EDGE, THUMB_EDGE = 2048, 480
NAME_BYTES = 18


class PhotoError(Exception):
    """An upload refused; code names why (not_image, too_large, too_many_pixels)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CleanPhoto:
    """The re-encoded photo and its thumbnail, both JPEG without metadata."""

    full: bytes
    thumb: bytes
    width: int
    height: int


def _open_checked(data: bytes) -> Image.Image:
    """Decode the upload, refusing what is not a whole image of an accepted kind and size."""
    limit = current_app.config["PHOTO_MAX_PIXELS"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise PhotoError("not_image")
                width, height = probe.size
                # Checked from the header, before a single pixel is decoded.
                if width * height > limit:
                    raise PhotoError("too_many_pixels")
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise PhotoError("not_image") from None
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")


def _jpeg(image: Image.Image, edge: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh image carries no info dict: nothing but pixels is written.
    Image.frombytes(copy.mode, copy.size, copy.tobytes()).save(out, "JPEG", quality=86, optimize=True)
    return out.getvalue()


def clean(data: bytes) -> CleanPhoto:
    """Check an upload and re-encode it without metadata, orientation applied."""
    if len(data) > current_app.config["PHOTO_MAX_BYTES"]:
        raise PhotoError("too_large")
    image = _flatten(ImageOps.exif_transpose(_open_checked(data)))
    full = _jpeg(image, FULL_EDGE)
    with Image.open(io.BytesIO(full)) as stored:
        width, height = stored.size
    return CleanPhoto(full=full, thumb=_jpeg(image, THUMB_EDGE), width=width, height=height)


def photo_dir() -> Path:
    """Where photos live: PHOTO_DIR, outside static/ so only the serving view hands them out."""
    path = Path(current_app.config["PHOTO_DIR"])
    path.mkdir(parents=True, exist_ok=True, mode=0o750)
    return path


def path_for(name: str, thumb: bool = False) -> Path:
    """The file of a stored photo (names are random and checked by the caller)."""
    return photo_dir() / (f"{name}.thumb.jpg" if thumb else f"{name}.jpg")


def store(photo: CleanPhoto) -> str:
    """Write both sizes under a fresh random name; returns the name."""
    name = secrets.token_urlsafe(NAME_BYTES)
    for thumb, data in ((False, photo.full), (True, photo.thumb)):
        target = path_for(name, thumb)
        with open(target, "wb") as handle:
            handle.write(data)
        os.chmod(target, 0o640)
    return name


def remove(name: str) -> None:
    """Delete both sizes of a stored photo (missing files are fine: removal may run twice)."""
    for thumb in (False, True):
        path_for(name, thumb).unlink(missing_ok=True)
