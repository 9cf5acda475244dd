"""SHA-256 checksums of a release, in the format ``sha256sum -c`` reads."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SUMS = "SHA256SUMS"
CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    return _digest(str(path))[1]


def _digest(path: str) -> tuple[int, str]:
    """(size, sha256) of a file, with one open and as few reads as its size allows."""
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        while chunk := os.read(fd, CHUNK):
            digest.update(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    return size, digest.hexdigest()


def release_files(folder: Path) -> list[str]:
    """Every file below ``folder`` as a sorted list of POSIX paths relative to it."""
    found = []
    for top, _, names in os.walk(folder):
        rel = os.path.relpath(top, folder).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found += [prefix + name for name in names]
    return sorted(found)


def digest_files(folder: Path, paths: list[str]) -> dict[str, tuple[int, str]]:
    """(size, sha256) of each path."""
    return {p: _digest(os.path.join(folder, p)) for p in paths}


def write_sha256sums(folder: Path, digests: dict[str, tuple[int, str]]) -> Path:
    """``<sha256>  <path>`` per file (two spaces: text mode, as sha256sum writes it)."""
    target = folder / SUMS
    target.write_text("".join(f"{sha}  {path}\n" for path, (_, sha) in sorted(digests.items())
                              if path != SUMS), encoding="utf-8")
    return target
