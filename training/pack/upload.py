"""A content pack uploaded as a zip: unpacked into a temporary folder, refusing what a pack
never holds (paths leaving the folder, links, huge or numerous files), so the loader reads it
like a pack on disk."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from training.pack.loader import sections
from training.pack.source import MAX_FILE_BYTES

MAX_ARCHIVE_BYTES = 20 * 1024 * 1024
MAX_FILES = 2000


class ArchiveRefused(Exception):
    """The upload is not a pack this site will read; the message says why."""


@contextmanager
def unpacked(upload) -> Iterator[Path]:
    """The pack inside the zip ``upload`` (a file object), unpacked; the folder holding its
    section folders (modules/, quizzes/, scenarios/...) is yielded, deleted afterwards."""
    folders = {section.folder for section in sections()}
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchiveRefused("the file is not a zip archive") from None
    with archive, tempfile.TemporaryDirectory(prefix="pack-") as temporary:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_FILES:
            raise ArchiveRefused(f"the archive holds more than {MAX_FILES} files")
        wanted = []
        for member in members:
            path = PurePosixPath(member.filename)
            if path.is_absolute() or ".." in path.parts or "\\" in member.filename:
                raise ArchiveRefused(f"{member.filename}: a path outside the pack")
            if member.external_attr >> 16 & 0o170000 == 0o120000:
                raise ArchiveRefused(f"{member.filename}: a link, not a file")
            if path.suffix != ".yaml":
                continue  # READMEs and the like are not part of what loads
            if member.file_size > MAX_FILE_BYTES:
                raise ArchiveRefused(f"{member.filename}: over {MAX_FILE_BYTES // 2**20} MB")
            wanted.append((path, member))
        prefix = _root_of([path for path, _ in wanted], folders)
        if prefix is None:
            raise ArchiveRefused(
                "no pack in the archive: expected folders such as " + ", ".join(sorted(folders))
            )
        root = Path(temporary)
        for path, member in wanted:
            relative = path.relative_to(prefix)
            if len(relative.parts) != 2 or relative.parts[0] not in folders:
                continue
            target = root.joinpath(*relative.parts)
            target.parent.mkdir(exist_ok=True)
            with archive.open(member) as source:
                data = source.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise ArchiveRefused(f"{member.filename}: over {MAX_FILE_BYTES // 2**20} MB")
            target.write_bytes(data)
        yield root


def _root_of(paths: list[PurePosixPath], folders: set[str]) -> PurePosixPath | None:
    """The folder of the archive that holds section folders (the archive's top, or one
    folder such as content/ that the whole pack was zipped in)."""
    for path in sorted(paths, key=lambda p: len(p.parts)):
        if len(path.parts) >= 2 and path.parts[-2] in folders:
            return PurePosixPath(*path.parts[:-2])
    return None
