"""Files behind the bulk portfolio rows: one drawn photo, hard-linked under every stored name.

Without them the directory's covers and the profiles' portfolios answer 404, which a page benchmark
(Lighthouse) counts against the page. Hard links cost a directory entry each, not a copy.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from bench.seed_accounts import drawn_photo
from extensions import db
from models.photographer import PortfolioPhoto
from services import photos

LINKS_PER_SOURCE = 50_000  # ext4 allows 65,000 links to one file


def link_portfolio_files(first_photo_id: int = 0) -> int:
    """Give every portfolio row from first_photo_id on a file and a thumbnail (existing files stay).

    Returns how many rows were looked at.
    """
    clean = photos.clean(drawn_photo((90, 120, 150)))
    linked, sources = 0, {}
    names = db.session.execute(
        select(PortfolioPhoto.stored_name)
        .where(PortfolioPhoto.id >= first_photo_id)
        .order_by(PortfolioPhoto.id),
        execution_options={"yield_per": 10_000},
    ).scalars()
    for name in names:
        if linked % LINKS_PER_SOURCE == 0:
            sources = _sources(clean, linked // LINKS_PER_SOURCE)
        for thumb in (False, True):
            _link(sources[thumb], photos.path_for(name, thumb))
        linked += 1
    return linked


def _sources(clean: photos.CleanPhoto, number: int) -> dict[bool, Path]:
    """A fresh pair of files to link to: a file system caps the links one file may have."""
    sources = {}
    for thumb, data in ((False, clean.full), (True, clean.thumb)):
        sources[thumb] = photos.photo_dir() / f"bench-source-{number}{'.thumb' if thumb else ''}.jpg"
        sources[thumb].write_bytes(data)
    return sources


def _link(source: Path, target: Path) -> None:
    if not target.exists():
        os.link(source, target)
