"""SHA-256 checksums of a release, in the format ``sha256sum -c`` reads."""

from __future__ import annotations

import hashlib
from pathlib import Path

SUMS = "SHA256SUMS"
CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(folder: Path) -> list[str]:
    """Every file below ``folder`` as a sorted list of POSIX paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def digest_files(folder: Path, paths: list[str]) -> dict[str, tuple[int, str]]:
    """(size, sha256) of each path."""
    return {p: ((folder / p).stat().st_size, sha256_file(folder / p)) for p in paths}


def write_sha256sums(folder: Path, digests: dict[str, tuple[int, str]]) -> Path:
    """``<sha256>  <path>`` per file (two spaces: text mode, as sha256sum writes it)."""
    target = folder / SUMS
    target.write_text("".join(f"{sha}  {path}\n" for path, (_, sha) in sorted(digests.items())
                              if path != SUMS), encoding="utf-8")
    return target
