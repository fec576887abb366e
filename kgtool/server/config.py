"""What a server serves and how carefully: one dataclass, built by `kgtool serve` or a test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_REQUEST_BYTES = 1 << 20  # a query or a Graph Store upload; bigger graphs go in with kgtool load
DEFAULT_WORKERS = 2


@dataclass(frozen=True)
class ServerConfig:
    """The data (graph files or folders, or a store on disk; the bundled graph when neither is
    given), the named queries, and the limits every request is held to."""

    graph_paths: tuple[Path, ...] = ()
    store_dir: Path | None = None
    base: str | None = None  # --base: the base IRI of every RDF file read
    queries_dir: Path | None = None  # the named queries (default: the bundled queries/)
    allow_update: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int | None = DEFAULT_MAX_ROWS
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    cors_origins: tuple[str, ...] = ()  # an allowlist of exact origins ("*": any); empty: CORS off
    workers: int = DEFAULT_WORKERS
    log: IO[str] | None = None  # where the one line per request goes (None: stderr)

    def query_folder(self) -> Path:
        from kgtool.paths import bundled

        return self.queries_dir or bundled("queries")
