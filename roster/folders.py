"""Output folders, proved writable before a command does its work."""

from __future__ import annotations

import tempfile
from pathlib import Path

from roster.errors import OutputError


def check_output_folder(folder: Path, option: str = "--out") -> None:
    """Raise OutputError naming `folder` when it is a file or cannot be made or written
    to. Commands ask before their work, so a wrong path costs no solve; the probe makes
    the missing folders and a scratch file, then removes them again, so a command that
    fails later still leaves nothing behind."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{option} {folder}: is a file, not a folder")
    missing = [path for path in (folder, *folder.parents) if not path.exists()]  # deepest first
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise OutputError(f"{option} {folder}: cannot write there ({error.strerror})") from None
    finally:
        for path in missing:
            try:
                path.rmdir()
            except OSError:
                break  # not made by the probe after all, or not empty
