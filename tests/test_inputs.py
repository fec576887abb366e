"""The files kgtool reads: hostile or odd input gets one line and exit 2 before any parser runs.

XML entity declarations (the "billion laughs"), terms over pyoxigraph's 16 MiB, files
kgtool may not read, stdin as a graph, and JSON that is not JSON-LD.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import DATA, GRAPH
from kgtool.errors import InputError

ARTICLE = DATA / "second-article.trig"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def error_of(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Usage:" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr.rstrip("\n")


# --- XML entities: refused before the parser sees the file ---------------------------------

# Three levels of ten: if kgtool let the parser expand it, 1,000 "lol"s, harmless; the
# refusal is what the test checks, not the expansion.
LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
  <!-- the declarations below nest: each level is ten of the one before -->
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>&lol3;</ex:p></rdf:Description>
</rdf:RDF>
"""

REFUSED = ("the XML declares entities (<!ENTITY in its DOCTYPE), which kgtool refuses: nested entities can "
           "expand to gigabytes (the 'billion laughs'); write the text out in place of the entity references "
           "and drop the declarations")


@pytest.fixture
def laughs(tmp_path) -> Path:
    path = tmp_path / "bad.rdf"
    path.write_text(LAUGHS)
    return path


def test_entity_declarations_are_refused_by_stats_and_load(run, laughs, tmp_path):
    _refused_by_stats_and_load(run, laughs, tmp_path / "x.store", f"kgtool: error: {laughs}:4: {REFUSED}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.rdf"]


def _refused_by_stats_and_load(run, path: Path, store: Path, line: str) -> None:
    assert error_of(run("stats", "--graph", str(path))) == line
    assert error_of(run("load", str(path), "--store", str(store))) == line
    assert not store.exists()


def test_validate_changed_and_shapes_refuse_entity_declarations(run, laughs):
    assert error_of(run("validate", "--changed", str(laughs))) == f"kgtool: error: {laughs}:4: {REFUSED}"
    assert error_of(run("validate", "--shapes", str(laughs))) == f"kgtool: error: {laughs}:4: {REFUSED}"


def test_stdin_refuses_entity_declarations(run):
    result = run("stats", "--graph", "-", "--graph-format", "rdfxml", input=LAUGHS)
    assert error_of(result) == f"kgtool: error: <stdin>:4: {REFUSED}"


def test_a_doctype_without_entities_passes(run, tmp_path):
    plain = tmp_path / "plain.rdf"
    plain.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ELEMENT rdf:RDF ANY> ]>
<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>v</ex:p></rdf:Description>
</rdf:RDF>
""")
    result = run("export", "--graph", str(plain), "-f", "ntriples")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == '<http://example.org/x> <http://example.org/p> "v" .\n'


def test_the_real_billion_laughs_is_refused_by_the_scan_alone():
    """The 10-level original (a billion "lol"s) fed to the prolog scan only, a few bytes at a
    time so that declarations straddle chunks; no parser ever sees it."""
    levels = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 2 else "") + ";") * 10}">' for n in range(2, 10)]
    text = '<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE lolz [\n' + "\n".join(levels) + "\n]>\n<lolz>&lol9;</lolz>\n"
    data = text.encode()
    from kgtool.store.files import refuse_xml_entities

    with pytest.raises(InputError) as caught:
        refuse_xml_entities((data[i:i + 7] for i in range(0, len(data), 7)), "lolz.xml")
    assert caught.value.where == "lolz.xml:4"
    refuse_xml_entities([b'<?xml version="1.0"?>\n<rdf:RDF/>\n'], "fine.rdf")  # no DOCTYPE: nothing to refuse
    refuse_xml_entities([b'<!DOCTYPE x [ <!-- not an <!ENTITY --> <!ATTLIST x a CDATA "<!ENTITY"> ]><x/>'], "fine.rdf")


def billion_laughs() -> str:
    """The original: ten levels of ten, a billion "lol"s (3 GB) from under a kilobyte."""
    levels = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 2 else "") + ";") * 10}">' for n in range(2, 11)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(levels) + "\n]>\n"
            f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/"><rdf:Description '
            'rdf:about="http://example.org/x"><ex:p>&lol10;</ex:p></rdf:Description></rdf:RDF>\n')


@pytest.mark.skipif(sys.platform != "linux", reason="caps the process's memory with RLIMIT_AS")
def test_the_real_billion_laughs_is_refused_end_to_end(tmp_path):
    """A real process capped at 1 GB of memory, so that a kgtool that let the parser expand the
    entities dies at once (as it did: "memory allocation of 1200000000 bytes failed") instead
    of eating the machine."""
    import resource

    bad = tmp_path / "bad.rdf"
    bad.write_text(billion_laughs())
    cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # noqa: E731
    done = subprocess.run([sys.executable, "-m", "kgtool", "stats", "--graph", str(bad)], capture_output=True,
                          text=True, preexec_fn=cap, timeout=120)
    assert (done.returncode, done.stderr) == (2, f"kgtool: error: {bad}:3: {REFUSED}\n")


def test_entities_in_utf16_are_refused():
    from kgtool.store.files import refuse_xml_entities

    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [\n<!ENTITY a "b">\n]>\n<x/>'.encode("utf-16")
    with pytest.raises(InputError) as caught:
        refuse_xml_entities([data], "wide.rdf")
    assert caught.value.where == "wide.rdf:3"


# --- a term over 16 MiB ------------------------------------------------------------------------

HUGE = 17 * 1024 * 1024
TOO_LONG = ("a term (a literal or an IRI) longer than 16 MiB, more than pyoxigraph's parser holds; "
            "shorten that value, or keep large content in a file of its own and link to it by IRI")


@pytest.fixture(scope="module")
def long_line(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("long") / "long.nt"
    with open(path, "w") as out:
        out.write('<http://e/a> <http://e/p> "short" .\n<http://e/a> <http://e/p> "')
        out.write("a" * HUGE)
        out.write('" .\n')
    return path


def test_a_term_over_16_mib_names_file_and_line_in_stats_and_load(run, long_line, tmp_path):
    _refused_by_stats_and_load(run, long_line, tmp_path / "long.store", f"kgtool: error: {long_line}:2: {TOO_LONG}")


# --- files kgtool may not read -----------------------------------------------------------------

def denied(path: Path) -> str:
    return (f"kgtool: error: cannot read {path}: permission denied; make it readable (chmod a+r), "
            "or run kgtool as a user who may read it")


@pytest.fixture
def unreadable(tmp_path, monkeypatch) -> Path:
    """A file the OS says kgtool may not read (root reads anything, so access() is told so)."""
    secret = tmp_path / "secret.trig"
    shutil.copy(ARTICLE, secret)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: Path(p) != secret and real_access(p, mode, **kw))
    return secret


def test_stats_says_permission_denied_in_one_line(run, unreadable):
    assert error_of(run("stats", "--graph", str(unreadable))) == denied(unreadable)


def test_load_says_permission_denied_in_one_line(run, unreadable, tmp_path):
    assert error_of(run("load", str(unreadable), "--store", str(tmp_path / "s.store"))) == denied(unreadable)
    existing = tmp_path / "existing.store"
    assert run("load", str(GRAPH), "--store", str(existing), "-q").exit_code == 0
    assert error_of(run("load", str(unreadable), "--store", str(existing))) == denied(unreadable)
    bundled = run("stats", "-g", str(GRAPH)).stdout.splitlines()[0]  # "triples: N", whatever the articles
    assert run("stats", "--store", str(existing)).stdout.splitlines()[0] == bundled


def test_shapes_and_changed_say_permission_denied(run, unreadable):
    assert error_of(run("validate", "--shapes", str(unreadable))) == denied(unreadable)
    assert error_of(run("validate", "--changed", str(unreadable))) == denied(unreadable)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv to run as another user")
def test_permission_denied_for_a_real_user():
    """Run as nobody (uid 65534), for whom a mode-000 file really is unreadable."""
    setpriv = shutil.which("setpriv")
    folder = Path(tempfile.mkdtemp(prefix="kgtool-perm-"))  # tmp_path's parents are 0700
    try:
        folder.chmod(0o755)
        secret = folder / "secret.trig"
        shutil.copy(ARTICLE, secret)
        secret.chmod(0)
        hidden = folder / "tree" / "hidden"  # a folder inside a folder: not skipped in silence
        hidden.mkdir(parents=True)
        shutil.copy(ARTICLE, hidden / "a.trig")
        (folder / "tree").chmod(0o755)
        hidden.chmod(0)
        cases = [(secret, ["stats", "--graph", str(secret)]),
                 (secret, ["load", str(secret), "--store", str(folder / "s.store")]),
                 (hidden, ["stats", "--graph", str(folder / "tree")])]
        for denied_path, args in cases:
            done = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
                                   "kgtool", *args], capture_output=True, text=True, cwd=folder)
            if "Permission denied" in done.stderr and "kgtool" not in done.stderr:
                pytest.skip(f"nobody cannot run this Python: {done.stderr.strip()[:200]}")
            assert (done.returncode, done.stderr) == (2, denied(denied_path) + "\n")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- stdin as the graph ---------------------------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (("stats",), "triples: 33\n"),
    (("describe", "Fox"), "Fox (organization:fox)\n"),
    (("export", "-f", "nquads"), "<https://kgtool.example/graph/fixture-dewan-hosts> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"),
    (("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv"), "n\n33\n"),
    (("validate", "--no-ontology", "-f", "json"), "{"),
    (("viz", "-f", "dot"), "digraph kgtool {"),
    (("path", "Jenna Dewan", "Fox"), "Jenna Dewan and Fox: 1 shortest path of 2 relations\n"),
])
def test_every_command_reads_the_graph_from_stdin(run, args, expected):
    result = run(*args, "--graph", "-", "--graph-format", "trig", input=ARTICLE.read_text())
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.startswith(expected), result.stdout[:300]


def test_stdin_needs_its_format(run):
    assert error_of(run("stats", "--graph", "-", input="")) == (
        "kgtool: error: --graph -: stdin has no file name to tell its RDF format; "
        "give --graph-format (turtle|ntriples|nquads|trig|jsonld|rdfxml)")
    assert error_of(run("stats", "--graph-format", "trig")) == (
        "kgtool: error: --graph-format: names the format of --graph - (stdin) only; drop it, or read stdin with --graph -")


def test_stdin_feeds_either_the_query_or_the_graph(run):
    result = run("query", "-", "--graph", "-", "--graph-format", "turtle", input="SELECT * { ?s ?p ?o }")
    assert result.exit_code == 2
    assert error_of(result) == (
        "kgtool: error: QUERY - and --graph -: stdin can feed the query or the graph, not both; "
        "save one of them to a file, or give the query with -e TEXT")


def test_stdin_with_files_is_their_union(run):
    files = int(run("stats", "-g", str(GRAPH)).stdout.splitlines()[0].removeprefix("triples: "))
    result = run("stats", "-g", str(GRAPH), "-g", "-", "--graph-format", "ntriples",
                 input='<urn:x:a> <urn:x:p> "added" .\n')
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"triples: {files + 1}\n")


def test_malformed_stdin_names_stdin_line_and_column(run):
    assert error_of(run("stats", "-g", "-", "--graph-format", "turtle", input="<urn:a> <urn:b> .\n")).startswith(
        "kgtool: error: <stdin>:1:")


# --- JSON that is not JSON-LD --------------------------------------------------------------------

NO_RDF = ("holds no RDF: it reads as JSON-LD with 0 triples (JSON without JSON-LD terms); "
          "give it an @context that maps its keys to IRIs, or name an RDF file")


def test_json_that_is_not_json_ld_holds_no_rdf(run, tmp_path):
    data = tmp_path / "data.json"
    data.write_text('{"name": "Jenna Dewan", "works": ["Soundtrack"]}\n')
    assert error_of(run("stats", "--graph", str(data))) == f"kgtool: error: {data}: {NO_RDF}"
    assert error_of(run("load", str(data), "--store", str(tmp_path / "s.store"))) == f"kgtool: error: {data}: {NO_RDF}"
    assert error_of(run("stats", "-g", "-", "--graph-format", "jsonld", input="{}")) == f"kgtool: error: <stdin>: {NO_RDF}"
    assert not (tmp_path / "s.store").exists()


def test_json_ld_and_an_empty_turtle_file_load(run, tmp_path):
    linked = tmp_path / "linked.jsonld"
    linked.write_text('{"@context": {"@vocab": "https://schema.org/"}, "@id": "urn:x:a", "name": "A"}')
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    result = run("stats", "--graph", str(linked), "--graph", str(empty))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("triples: 1\n")
