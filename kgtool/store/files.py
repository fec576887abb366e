"""The RDF files kgtool reads: found, checked before any parser sees them, errors worded.

Every file that reaches a parser (--graph, load, shapes, validate --changed, stdin)
passes here first. A file must exist, be readable, be of a known RDF type, and,
when it is XML, declare no entities: an internal DTD with nested entity
definitions (the "billion laughs") expands a few hundred bytes into gigabytes,
and pyoxigraph's RDF/XML parser expands them, so kgtool refuses `<!ENTITY`
declarations outright (a DOCTYPE without them passes). A JSON-LD file that gives
no triple at all is plain JSON, not JSON-LD, and is said to hold no RDF.

Every file is parsed with its own URI as base IRI (`base_iri`), as rdflib does, so that
`<>` and relative IRIs (`<#x>`, `<a>`) resolve; stdin reads as a file in the current
folder would. `--base IRI` overrides it for every file a command reads (`check_base`).
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kgtool.errors import InputError, KgError, ParseError, location
from kgtool.store.formats import RDF_FORMATS, RdfFormat, rdf_format_for_path

STDIN = "-"
TERM_LIMIT = 16 * 1024 * 1024  # pyoxigraph's parsers hold one term (a literal, an IRI) of at most this
_CHUNK = 1 << 16
_NO_TRIPLES_MEANS_NOT_RDF = ("jsonld",)  # formats whose parser reads any document of theirs as 0 triples


def base_iri(source: Path | str, base: str | None = None) -> str:
    """The base IRI to parse `source` with: `base` if given (--base), else the file's own URI
    (file:///...), as rdflib does; stdin ("-") gets the current folder's URI, ending in "/",
    so that its relative IRIs resolve as those of a file in that folder would."""
    if base is not None:
        return base
    if str(source) in (STDIN, "<stdin>"):
        folder = Path.cwd().resolve().as_uri()
        return folder if folder.endswith("/") else folder + "/"
    return Path(source).resolve().as_uri()


def check_base(iri: str) -> str:
    """`iri` if it can be the base IRI of a parse (an absolute IRI), else the one line why not."""
    try:
        ox.parse(b"", format=ox.RdfFormat.TURTLE, base_iri=iri)
    except ValueError as exc:
        reason = str(exc).rsplit(", ", 1)[-1] if str(exc).startswith("Invalid base IRI") else str(exc)
        raise InputError(f"not an absolute IRI: '{iri}' ({reason})", where="--base",
                         fix="give an absolute IRI, such as http://example.org/data/") from None
    return iri


def rdf_files(paths: Iterable[Path | str]) -> list[Path]:
    """The RDF files named by `paths`: files as given, folders searched recursively; each one
    checked (readable, no XML entities, JSON-LD that holds RDF) before any parser reads it."""
    from kgtool.store.journal import note_recoveries

    paths = list(paths)
    note_recoveries(paths)  # a change to a graph folder that was stopped is finished or undone first
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in _files_under(path) if rdf_format_for_path(p))
            if not inside:
                raise InputError(
                    "folder holds no RDF files",
                    where=str(path),
                    fix=f"add files ending in {_suffix_list()} or name another folder",
                )
            found.extend(inside)
        elif path.is_file():
            if rdf_format_for_path(path) is None:
                raise InputError(
                    "not a known RDF file type",
                    where=str(path),
                    fix=f"name a file ending in {_suffix_list()}",
                )
            found.append(path)
        else:
            raise InputError("no such file or folder", where=str(path), fix="check the path")
    for path in found:
        check_file(path, rdf_format_for_path(path))
    return found


def _files_under(folder: Path) -> Iterator[Path]:
    """Every file in `folder` and its subfolders; one it may not read is an error, not skipped."""
    check_readable(folder, folder=True)

    def refuse(error: OSError) -> None:
        raise _permission_denied(error.filename) if isinstance(error, PermissionError) else error

    for top, folders, files in os.walk(folder, onerror=refuse):
        folders.sort()
        for name in files:
            candidate = Path(top) / name
            if candidate.is_file():
                yield candidate


def _suffix_list() -> str:
    return ", ".join(s for f in RDF_FORMATS.values() for s in f.suffixes)


def check_file(path: Path, fmt: RdfFormat) -> None:
    """What must hold before a parser reads `path`."""
    check_readable(path)
    if fmt.name == "rdfxml":
        with _opened(path) as handle:
            refuse_xml_entities(_chunks(handle), str(path))
    if fmt.name in _NO_TRIPLES_MEANS_NOT_RDF:
        _require_a_triple(fmt, str(path), path=str(path), base_iri=base_iri(path))


def check_readable(path: Path, folder: bool = False) -> None:
    mode = os.R_OK | (os.X_OK if folder else 0)
    if not os.access(path, mode):
        raise _permission_denied(str(path))


def _permission_denied(source: str) -> InputError:
    return InputError(f"cannot read {source}: permission denied",
                      fix="make it readable (chmod a+r), or run kgtool as a user who may read it")


def _require_a_triple(fmt: RdfFormat, source: str, **given) -> None:
    """Parse up to the first triple (a JSON-LD file's first one comes early): none is no RDF."""
    try:
        first = next(iter(ox.parse(format=getattr(ox.RdfFormat, fmt.oxigraph), **given)), None)
    except (SyntaxError, MemoryError, OSError, ValueError) as exc:
        raise read_error(exc, source, fmt) from None
    if first is None:
        raise InputError(f"holds no RDF: it reads as {fmt.label} with 0 triples (JSON without JSON-LD terms)",
                         where=source, fix="give it an @context that maps its keys to IRIs, or name an RDF file")


def _opened(path: Path) -> IO[bytes]:
    try:
        return open(path, "rb")
    except PermissionError:
        raise _permission_denied(str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror or exc}", where=str(path), fix="check the path") from None


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk


# -- XML: no entity declarations ------------------------------------------------------------

def refuse_xml_entities(chunks: Iterable[bytes], source: str) -> None:
    """Raise if the XML prolog (before the root element) declares an entity.

    Only the prolog is read: a DTD, and so an entity declaration, can appear nowhere else."""
    text = _Text(chunks)
    while True:
        text.skip_space()
        if text.starts("<?"):
            text.skip_past("?>")
        elif text.starts("<!--"):
            text.skip_past("-->")
        elif text.starts("<!DOCTYPE"):
            _scan_doctype(text, source)
        else:
            return  # the root element (or not XML at all: the parser says so)


def _scan_doctype(text: "_Text", source: str) -> None:
    """Walk one <!DOCTYPE ...> to its end, refusing any <!ENTITY in its internal subset."""
    text.advance(len("<!DOCTYPE"))
    inside = False
    while not text.at_end():
        if text.starts("<!--"):
            text.skip_past("-->")
        elif inside and text.starts("<!ENTITY"):
            raise InputError(
                "the XML declares entities (<!ENTITY in its DOCTYPE), which kgtool refuses: "
                "nested entities can expand to gigabytes (the 'billion laughs')",
                where=location(source, text.line()),
                fix="write the text out in place of the entity references and drop the declarations")
        else:
            char = text.take()
            if char in "\"'":
                text.skip_past(char)
            elif char == "[":
                inside = True
            elif char == "]":
                inside = False
            elif char == ">" and not inside:
                return


class _Text:
    """Decoded XML read a chunk at a time, with the line of the current position."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = iter(chunks)
        first = next(self._chunks, b"")
        encoding = "utf-16" if first[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8"
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._buffer = self._decoder.decode(first).lstrip("\ufeff")
        self._at = 0
        self._lines_before = 0  # newlines in the text dropped from the buffer
        self._eof = not first

    def _more(self) -> bool:
        if self._eof:
            return False
        chunk = next(self._chunks, None)
        if chunk is None:
            self._eof = True
            self._buffer += self._decoder.decode(b"", final=True)
            return False
        dropped = self._buffer[:self._at]
        self._lines_before += dropped.count("\n")
        self._buffer = self._buffer[self._at:] + self._decoder.decode(chunk)
        self._at = 0
        return True

    def starts(self, prefix: str) -> bool:
        while len(self._buffer) - self._at < len(prefix) and self._more():
            pass
        return self._buffer.startswith(prefix, self._at)

    def at_end(self) -> bool:
        return self._at >= len(self._buffer) and not self._more()

    def take(self) -> str:
        if self.at_end():
            return ""
        char = self._buffer[self._at]
        self._at += 1
        return char

    def advance(self, count: int) -> None:
        self._at += count

    def skip_space(self) -> None:
        while not self.at_end() and self._buffer[self._at] in " \t\r\n":
            self._at += 1

    def skip_past(self, end: str) -> None:
        while True:
            found = self._buffer.find(end, self._at)
            if found >= 0:
                self._at = found + len(end)
                return
            self._at = max(self._at, len(self._buffer) - len(end) + 1)
            if not self._more():
                self._at = len(self._buffer)
                return

    def line(self) -> int:
        return self._lines_before + self._buffer.count("\n", 0, self._at) + 1


# -- parse errors, worded -------------------------------------------------------------------

def syntax_error(exc: SyntaxError, source: str, kind: str, fix: str) -> ParseError:
    """A pyoxigraph SyntaxError as a ParseError that names file:line:column."""
    line = column = None
    if isinstance(exc.args[-1], tuple) and len(exc.args[-1]) >= 3:
        line, column = exc.args[-1][1], exc.args[-1][2]
    message = str(exc.args[0]) if exc.args else str(exc)
    detail = message.split(": ", 1)[-1] if message.startswith(("Parser error", "error at")) else message
    if line is None and message.startswith("error at "):
        position = message[len("error at "):].split(":")
        if len(position) >= 2 and position[0].isdigit() and position[1].isdigit():
            line, column = int(position[0]), int(position[1])
    detail = " ".join(detail.split())
    if len(detail) > 160:
        detail = detail[:157].rsplit(" ", 1)[0] + " ..."
    return ParseError(f"malformed {kind}: {detail}", where=location(source, line, column), fix=fix)


def read_error(exc: BaseException, source: str, fmt: RdfFormat,
               fix: str = "fix the file at that position") -> KgError:
    """What a pyoxigraph parser raised while reading `source`, as the one line to show."""
    if isinstance(exc, SyntaxError):
        return syntax_error(exc, source, fmt.label, fix)
    if isinstance(exc, MemoryError) and "buffer maximal size" in str(exc):
        line = _first_long_line(Path(source)) if source != STDIN and Path(source).is_file() else None
        return ParseError(
            f"a term (a literal or an IRI) longer than {TERM_LIMIT // (1024 * 1024)} MiB, "
            "more than pyoxigraph's parser holds",
            where=location(source, line),
            fix="shorten that value, or keep large content in a file of its own and link to it by IRI")
    if isinstance(exc, PermissionError):
        return _permission_denied(source)
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return InputError(f"cannot read {fmt.label}: {detail}", where=source, fix="check the file")


def _first_long_line(path: Path) -> int | None:
    """The number of the first line longer than TERM_LIMIT bytes, if there is one."""
    line, length = 1, 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            start = 0
            while (newline := chunk.find(b"\n", start)) >= 0:
                if length + newline - start > TERM_LIMIT:
                    return line
                line, length, start = line + 1, 0, newline + 1
            length += len(chunk) - start
            if length > TERM_LIMIT:
                return line
    return None


# -- whole texts (stdin, a change file) -----------------------------------------------------

def check_data(data: bytes, fmt: RdfFormat, source: str = STDIN) -> None:
    """What must hold before a parser reads an RDF text given whole (stdin), as for a file."""
    if fmt.name == "rdfxml":
        refuse_xml_entities([data], source)
    if fmt.name in _NO_TRIPLES_MEANS_NOT_RDF:
        _require_a_triple(fmt, source, input=data, base_iri=base_iri(STDIN))


def parse_file(path: Path, base: str | None = None) -> list[ox.Quad]:
    """The quads of one RDF file, read on its own, after the checks of `rdf_files`; `base`
    overrides the file's URI as base IRI."""
    if not path.is_file():
        raise InputError("no such file", where=str(path), fix="check the path")
    (path,) = rdf_files([path])
    fmt = rdf_format_for_path(path)
    try:
        return list(ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt.oxigraph),
                             base_iri=base_iri(path, base)))
    except (SyntaxError, MemoryError, OSError, ValueError) as exc:
        raise read_error(exc, str(path), fmt) from None
