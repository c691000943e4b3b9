"""The disk tier of the answer cache: answers too big to keep in memory, kept beside the store.

A whole-graph export of a large store takes minutes and gigabytes to compute and is the same for every
request with the same key (data version, code, settings, request: ``api/answer_cache.py``). Kept as a file
under the store folder it is computed once per data version, not once per request or per process, and
served again by streaming the file, in constant memory. The folder is bounded in bytes; the least recently
used files go first. A file is written under a temporary name and renamed only once the answer is
complete, so an interrupted answer leaves nothing that could be served.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
"""Bytes read per step when a stored answer is sent."""


@dataclass(frozen=True)
class StoredAnswer:
    """A complete answer on disk: its response headers and its body, already open (an eviction meanwhile
    removes the name, not the open file)."""

    headers: list[tuple[bytes, bytes]]
    body: BinaryIO

    def read(self) -> bytes:
        """The next piece of the body (``CHUNK`` bytes at most); empty at the end, when the file is closed."""
        piece = self.body.read(CHUNK)
        if not piece:
            self.body.close()
        return piece

    def close(self) -> None:
        self.body.close()


class AnswerWriter:
    """One answer being written: ``write`` its body, then ``commit`` with its headers, or ``abort``."""

    def __init__(self, files: AnswerFiles, key: str) -> None:
        self._files = files
        self._key = key
        handle, name = tempfile.mkstemp(dir=files.folder, prefix=".partial-")
        self._stream = os.fdopen(handle, "wb")
        self._temporary = Path(name)
        self.size = 0

    def write(self, data: bytes) -> None:
        self._stream.write(data)
        self.size += len(data)

    def commit(self, headers: list[tuple[bytes, bytes]]) -> None:
        self._stream.close()
        body, meta = self._files.paths(self._key)
        replaced = body.stat().st_size if body.exists() else 0  # a recomputed answer (no-cache) takes its place
        meta.write_text(json.dumps([[k.decode("latin-1"), v.decode("latin-1")] for k, v in headers]))
        os.replace(self._temporary, body)
        self._files.added(self.size - replaced)

    def abort(self) -> None:
        self._stream.close()
        self._temporary.unlink(missing_ok=True)


class AnswerFiles:
    """Complete answers as files in ``folder``, at most ``max_bytes`` of bodies in all."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.hits = 0
        self._lock = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob(".partial-*"):  # from a process that stopped mid-answer
            leftover.unlink(missing_ok=True)
        self._size = sum(p.stat().st_size for p in folder.glob("*.body"))

    def paths(self, key: str) -> tuple[Path, Path]:
        """The body file and the headers file of ``key`` (a hex digest, so a safe file name)."""
        return self.folder / f"{key}.body", self.folder / f"{key}.headers.json"

    def find(self, key: str) -> StoredAnswer | None:
        """The stored answer of ``key``, if complete (its use counts as recent for the eviction)."""
        body, meta = self.paths(key)
        try:
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(meta.read_text())]
            stream = body.open("rb")
        except (OSError, ValueError):
            return None
        os.utime(body)
        self.hits += 1
        return StoredAnswer(headers, stream)

    def writer(self, key: str) -> AnswerWriter:
        return AnswerWriter(self, key)

    def added(self, size: int) -> None:
        """Count a new file, then drop the least recently used ones while the folder holds too much."""
        with self._lock:
            self._size += size
            if self._size <= self.max_bytes:
                return
            bodies = sorted(self.folder.glob("*.body"), key=lambda p: p.stat().st_mtime)
            for body in bodies:
                if self._size <= self.max_bytes:
                    break
                size_of = body.stat().st_size
                body.unlink(missing_ok=True)
                (self.folder / body.name.replace(".body", ".headers.json")).unlink(missing_ok=True)
                self._size -= size_of

    def stats(self) -> dict[str, int]:
        """What ``/health`` reports: files, bytes, limit, hits since start."""
        return {
            "files": len(list(self.folder.glob("*.body"))),
            "bytes": self._size,
            "max_bytes": self.max_bytes,
            "hits": self.hits,
        }


__all__ = ["AnswerFiles", "AnswerWriter", "StoredAnswer"]
