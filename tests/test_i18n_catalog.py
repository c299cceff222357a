"""The Korean catalog is complete and up to date with the source."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KO = ROOT / "translations" / "ko" / "LC_MESSAGES" / "messages.po"


def load(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_korean_catalog_is_complete():
    untranslated, fuzzy = [], []
    for message in load(KO):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == [] and fuzzy == []


def test_catalog_holds_every_string_in_the_source(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--ignore-dirs",
            ".* __pycache__",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    in_source = {message.id for message in load(pot) if message.id}
    in_catalog = {message.id for message in load(KO) if message.id}
    missing = in_source - in_catalog
    assert not missing, f"run `make i18n` and translate: {sorted(missing)[:5]}"


def test_placeholders_survive_translation():
    import re

    for message in load(KO):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[0]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", string)) == wanted, message.id
