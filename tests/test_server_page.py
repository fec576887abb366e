"""The web page of `kgtool serve`: the editor at /, entity pages, paths and drawings.

In-process (Starlette's TestClient on make_app) for what the server writes, and in headless
Chromium against the real app under uvicorn on a loopback port for what a reader sees: a
graph whose labels, sentences and query comments are markup must show that markup as text,
run none of it, and nothing may leave loopback.
"""

from __future__ import annotations

import io
import re
import socket
import threading
import time
import warnings

import pytest

from conftest import living, require, wait_for
from kgtool.server.config import ServerConfig

KG = "https://kgtool.example/id/"
SCRIPT_LABEL = ("<script>window.__pwned='script'</script><b>Bold</b> & \"double\" 'single' "
                "<img src=x onerror=\"window.__pwned='img'\">")
ACME_LABEL = "Acme </script><!-- co &amp; <svg onload=\"window.__pwned='svg'\">"
OTHER_LABEL = "Other \"quoted\" & <em>emphasis</em>"
SENTENCE = "<img src=x onerror=\"window.__pwned='evidence'\"> works for Acme & co"
HEDGE = "<u>reportedly</u>"
SUMMARY = "Who works for <b>the organisation</b> & why?"


def _turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


MARKUP_GRAPH = f"""
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix kg: <https://kgtool.example/ns#> .
@prefix graph: <https://kgtool.example/graph/> .
@prefix article: <{KG}article/> .
@prefix person: <{KG}person/> .
@prefix organization: <{KG}organization/> .

graph:markup a kg:ArticleGraph ; prov:wasDerivedFrom article:markup .
graph:markup {{
article:markup a schema:NewsArticle ; rdfs:label "Markup <i>article</i>" .
person:markup a schema:Person ; rdfs:label {_turtle_string(SCRIPT_LABEL)} ; schema:worksFor organization:acme .
person:other a schema:Person ; rdfs:label {_turtle_string(OTHER_LABEL)} ; schema:worksFor organization:acme .
organization:acme a schema:Organization ; rdfs:label {_turtle_string(ACME_LABEL)} .
article:markup\\/s1 a kg:Sentence ; schema:isPartOf article:markup ; kg:position 1 ;
    schema:text {_turtle_string(SENTENCE)} .
article:markup\\/c1 a kg:Claim ; rdf:subject person:markup ; rdf:predicate schema:worksFor ;
    rdf:object organization:acme ; kg:evidence article:markup\\/s1 ; kg:hedge {_turtle_string(HEDGE)} .
}}
"""
NAMED_QUERY = f"""# {SUMMARY}
# @param org iri = organization:acme -- the <i>organisation</i>, by IRI or label
SELECT ?person ?personLabel ?org WHERE {{ ?person schema:worksFor ?org ; rdfs:label ?personLabel }}
ORDER BY ?personLabel
"""


def _client(config: ServerConfig):
    with warnings.catch_warnings():  # starlette 1.x suggests httpx2 on import
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from kgtool.server.app import make_app

    return TestClient(make_app(config))


@pytest.fixture(scope="module")
def markup_config(tmp_path_factory) -> ServerConfig:
    folder = tmp_path_factory.mktemp("markup")
    (folder / "markup.trig").write_text(MARKUP_GRAPH, encoding="utf-8")
    queries = folder / "queries"
    queries.mkdir()
    (queries / "01-employees.rq").write_text(NAMED_QUERY, encoding="utf-8")
    return ServerConfig(graph_paths=(folder / "markup.trig",), queries_dir=queries, log=io.StringIO())


@pytest.fixture(scope="module")
def bundled():
    """The app on the bundled graph and queries (facts below are the Soundtrack article's)."""
    with _client(ServerConfig(log=io.StringIO())) as client:
        yield client


@pytest.fixture(scope="module")
def markup(markup_config):
    with _client(markup_config) as client:
        yield client


# -- what the server writes -------------------------------------------------------------

def test_the_editor_page_loads_only_from_this_server(bundled):
    page = bundled.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert re.findall(r'(?:src|href)="([^"]*)"', page.text) == ["data:,", "/assets/page.css", "/", "/", "/path",
                                                                  "/assets/page.js"]
    script = bundled.get("/assets/page.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|eval\(", script.text)
    assert re.findall(r"https?://[^\s\"']+", script.text) == ["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]
    for name in ("page.py", "..%2Fpage.py", "%2E%2E/page_html.py", "index.html"):
        missing = bundled.get("/assets/" + name)
        assert missing.status_code == 404 and "import" not in missing.text, name
    assert "no file /assets/page.py; the page uses page.js and page.css" in bundled.get("/assets/page.py").text


def test_the_examples_are_the_named_queries_with_their_text_and_parameters(bundled):
    from conftest import QUERIES
    from kgtool.queries import catalog

    from kgtool.namespaces import PREFIXES

    answer = bundled.get("/page/queries.json").json()
    assert answer["prefixes"] == PREFIXES
    listed = {q["name"]: q for q in answer["queries"]}
    expected = catalog(QUERIES)
    assert set(listed) == set(expected)
    creator = listed["02-creator"]
    assert creator["text"] == expected["02-creator"].text and creator["url"] == "/queries/02-creator"
    assert creator["params"] == [{"name": "work", "kind": "iri", "default": "work:soundtrack",
                                  "doc": "the work, by IRI or label"}]


def test_an_entity_page_has_its_facts_evidence_and_neighbours(bundled):
    page = bundled.get("/entity/work/soundtrack")
    assert page.status_code == 200
    assert '<h1 id="entity-label">Soundtrack</h1>' in page.text
    assert "On the 10-episode series, Dewan played Joanna Kassem" in page.text
    assert 'title="https://kgtool.example/id/article/et-soundtrack-canceled">article:et-soundtrack-canceled</a>, ' \
        "sentence 5" in page.text
    assert f'href="/entity?iri=https%3A%2F%2Fkgtool.example%2Fid%2Fcharacter%2Fjoanna-kassem"' in page.text
    assert f'src="/draw?iri=https%3A%2F%2Fkgtool.example%2Fid%2Fwork%2Fsoundtrack&amp;depth=1"' in page.text
    by_iri = bundled.get("/entity", params={"iri": KG + "work/soundtrack"})
    by_label = bundled.get("/entity", params={"label": "Soundtrack"})
    assert page.text == by_iri.text == by_label.text


def test_an_unknown_or_malformed_entity_is_one_line_on_an_error_page(bundled):
    unknown = bundled.get("/entity/person/nobody")
    assert unknown.status_code == 400
    assert '<p class="error" role="alert">person:nobody is not in the graph; check the IRI or give a label</p>' \
        in unknown.text
    bad = bundled.get("/entity", params={"iri": "not an iri"})
    assert bad.status_code == 400 and "/entity?iri=: &#x27;not an iri&#x27; is not an IRI" in bad.text
    none = bundled.get("/entity")
    assert none.status_code == 400 and "/entity: no entity given; give ?iri=IRI" in none.text


def test_a_name_written_as_an_iri_that_is_none_is_refused_in_one_line(markup):
    for url, params, where in (("/entity", {"label": SCRIPT_LABEL}, "/entity?label="),
                               ("/path", {"from": SCRIPT_LABEL, "to": OTHER_LABEL}, "/path?from="),
                               ("/draw", {"label": SCRIPT_LABEL}, "/draw?label=")):
        answer = markup.get(url, params=params)
        assert answer.status_code == 400, url
        assert f'<p class="error" role="alert">{where}: &#x27;script&gt;window.__pwned' in answer.text
    crafted = markup.get("/entity/%3Ca%20b/c%3E")  # read as the prefixed name <a b:c>
    assert crafted.status_code == 400 and "/entity/PREFIX/NAME: &#x27;a b:c&#x27; is not an IRI" in crafted.text


def test_the_path_page_says_what_kgtool_path_says(bundled, run):
    cli = run("path", "Steve Martin", "Jenna Dewan")
    page = bundled.get("/path", params={"from": "Steve Martin", "to": "Jenna Dewan"})
    assert page.status_code == 200
    verdict = cli.output.splitlines()[0]
    assert f'<h2 id="verdict">{verdict}</h2>' in page.text
    assert "—acted in→" in page.text and "a movie starring Steve Martin and Christopher Walken" in page.text
    assert 'src="/draw?from=Steve+Martin&amp;to=Jenna+Dewan"' in page.text
    empty = bundled.get("/path")
    assert empty.status_code == 200 and '<input name="from" value=""' in empty.text


def _drawn(page_text: str) -> dict:
    import json

    data = re.search(r'<script type="application/json" id="kgtool-data">(.*?)</script>', page_text, re.S)
    return json.loads(data.group(1))


def test_drawings_of_a_neighbourhood_a_path_and_query_results(bundled):
    around = _drawn(bundled.get("/draw", params={"iri": KG + "character/joanna-kassem"}).text)
    assert "character:joanna-kassem" in {n["id"] for n in around["nodes"]}
    assert "work:soundtrack" in {n["id"] for n in around["nodes"]}
    path = _drawn(bundled.get("/draw", params={"from": "Steve Martin", "to": "Jenna Dewan"}).text)
    assert {"person:steve-martin", "person:jenna-dewan", "work:soundtrack"} <= {n["id"] for n in path["nodes"]}
    steve = "SELECT ?c WHERE { ?c a schema:Person ; rdfs:label 'Steve Martin' }"
    select = bundled.get("/draw", params={"query": steve})
    assert [n["id"] for n in _drawn(select.text)["nodes"]] == ["person:steve-martin"]
    assert select.headers["content-security-policy"].startswith("default-src 'none'; script-src 'unsafe-inline'")
    named = _drawn(bundled.get("/draw", params={"name": "02-creator", "work": "Soundtrack"}).text)
    assert {"work:soundtrack", "person:joshua-safran"} <= {n["id"] for n in named["nodes"]}


def test_drawing_refusals_are_pages_with_the_reason(bundled):
    ask = bundled.get("/draw", params={"query": "ASK { ?s ?p ?o }"})
    assert ask.status_code == 400 and "an ASK query answers yes or no: there is nothing to draw" in ask.text
    deep = bundled.get("/draw", params={"iri": KG + "work/soundtrack", "depth": "9"})
    assert deep.status_code == 400 and "depth &#x27;9&#x27; is not a whole number from 1 to 3" in deep.text
    nothing = bundled.get("/draw")
    assert nothing.status_code == 400 and "/draw: nothing to draw; give ?iri=IRI" in nothing.text


def test_a_drawing_too_big_to_read_is_refused_and_a_small_part_of_it_drawn(tmp_path):
    from kgtool.pictures.request import DEFAULT_NODE_LIMIT

    people = DEFAULT_NODE_LIMIT + 50
    lines = ["@prefix schema: <https://schema.org/> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    lines += [f'<{KG}person/p{i}> a schema:Person ; rdfs:label "Person {i}" ; '
              f"schema:knows <{KG}person/p{(i + 1) % people}> ." for i in range(people)]
    (tmp_path / "people.ttl").write_text("\n".join(lines) + "\n")
    with _client(ServerConfig(graph_paths=(tmp_path / "people.ttl",), log=io.StringIO())) as client:
        big = client.get("/draw", params={"query": "SELECT ?p WHERE { ?p a schema:Person }"})
        assert big.status_code == 400
        assert f"/draw: {people} entities is above the limit of {DEFAULT_NODE_LIMIT} for a readable picture" in big.text
        small = _drawn(client.get("/draw", params={"iri": KG + "person/p7"}).text)
        assert sorted(n["id"] for n in small["nodes"]) == ["person:p6", "person:p7", "person:p8"]
    with _client(ServerConfig(graph_paths=(tmp_path / "people.ttl",), max_rows=50, log=io.StringIO())) as client:
        page = client.get("/entity/person/p7")  # its facts are a few rows; the whole graph is over the cap
        assert page.status_code == 200 and "<iframe" not in page.text
        assert '<span class="literal">Person 7</span>' in page.text
        assert re.search(r'<p class="hint">Not drawn: [^<]*more than 50 rows', page.text), page.text


def test_a_class_has_a_page_but_no_drawing(bundled):
    page = bundled.get("/entity", params={"iri": "https://schema.org/Person"})
    assert page.status_code == 200 and "<iframe" not in page.text
    assert "Not drawn: it is no entity of the relation graph." in page.text
    assert 'href="/entity?iri=https%3A%2F%2Fkgtool.example%2Fid%2Fperson%2Fsteve-martin"' in page.text


def test_a_drawn_query_cannot_make_the_server_connect_anywhere(bundled):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.3)
    port = listener.getsockname()[1]
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                      f"LOAD <http://127.0.0.1:{port}/x.ttl>"):
            answer = bundled.get("/draw", params={"query": query})
            assert answer.status_code == 400, answer.text
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_markup_from_the_data_is_escaped_in_what_the_server_writes(markup):
    page = markup.get("/entity", params={"iri": KG + "person/markup"})
    assert page.status_code == 200
    for raw in (SCRIPT_LABEL, ACME_LABEL, SENTENCE, HEDGE, "<script>", "<img", "<svg", "<b>"):
        assert raw not in page.text
    assert "&lt;script&gt;window.__pwned=&#x27;script&#x27;&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; &amp; " \
           "&quot;double&quot;" in page.text
    assert "&lt;u&gt;reportedly&lt;/u&gt;" in page.text
    drawing = markup.get("/draw", params={"iri": KG + "person/markup"})
    assert SCRIPT_LABEL not in drawing.text and "</script><!--" not in drawing.text.split("<script>")[0]


# -- in a real browser ----------------------------------------------------------------------

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' brings playwright")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def served(markup_config):
    """The real app under uvicorn on a free loopback port, for the module; stopped after."""
    import uvicorn

    from kgtool.server.app import make_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = make_app(markup_config)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    workers = app.state.executor.pids()
    server.should_exit = True
    thread.join(30)
    sock.close()
    assert not thread.is_alive() and workers
    assert wait_for(lambda: not living(workers), 10), living(workers)  # the app closed its executor


@pytest.fixture(scope="module")
def browser():
    chromium = require("chromium", "chromium")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        yield launched
        launched.close()


class Reader:
    """A browser tab on the served app, recording what must never happen: a request off this
    server, a dialog, a console error, the page's flag set by a label's script."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.outside, self.problems, self.dialogs = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, path: str):
        response = self.page.goto(self.base + path)
        assert response.ok, f"{response.status} {path}: {response.text()}"
        return self.page

    def frame_drawn(self, selector: str = "iframe"):
        """The relation drawing in the iframe, once its layout is done."""
        handle = self.page.wait_for_selector(selector)
        frame = handle.content_frame()
        frame.wait_for_selector("body[data-layout=done]", timeout=20_000)
        return frame

    def assert_nothing_ran(self, *frames) -> None:
        for where in (self.page, *frames):
            assert where.evaluate("typeof window.__pwned") == "undefined"
        assert self.dialogs == [] and self.problems == [] and self.outside == []


@pytest.fixture
def reader(browser, served):
    visit = Reader(browser, served)
    yield visit
    visit.context.close()


def test_browser_named_query_with_a_markup_parameter_shows_text_and_draws(reader):
    page = reader.open("/")
    page.wait_for_selector("body[data-ready=yes]")
    assert page.text_content("#examples .summary") == SUMMARY
    page.click("#examples button[data-name='01-employees']")
    assert page.text_content("#named-params .doc") == "the <i>organisation</i>, by IRI or label"
    page.fill("#named-params input[name=org]", ACME_LABEL)  # an iri parameter takes a label
    page.click("#named button[type=submit]")
    page.wait_for_selector("#results table.results")
    cells = page.eval_on_selector_all("#results tbody td:nth-child(2)", "tds => tds.map(td => td.textContent)")
    assert cells == sorted([SCRIPT_LABEL, OTHER_LABEL])
    links = page.eval_on_selector_all("#results tbody td:first-child a", "as => as.map(a => a.getAttribute('href'))")
    assert "/entity?iri=https%3A%2F%2Fkgtool.example%2Fid%2Fperson%2Fmarkup" in links
    page.click("#show-drawing")
    frame = reader.frame_drawn("#drawing iframe")
    titles = frame.eval_on_selector_all("g.node title", "ts => ts.map(t => t.textContent)")
    assert SCRIPT_LABEL in titles and OTHER_LABEL in titles
    assert page.eval_on_selector_all("main b, main img, main i, main em, main u, main svg", "xs => xs.length") == 0
    reader.assert_nothing_ran(frame)


def test_browser_editor_shows_solutions_graphs_booleans_and_errors_as_text(reader):
    page = reader.open("/")
    page.wait_for_selector("body[data-ready=yes]")
    page.fill("#query", "SELECT ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label")
    page.click("#editor button[type=submit]")
    page.wait_for_selector("#results table.results")
    cells = page.eval_on_selector_all("#results tbody td", "tds => tds.map(td => td.textContent)")
    assert {SCRIPT_LABEL, ACME_LABEL, OTHER_LABEL} <= set(cells)
    page.fill("#query", "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 1500")
    page.press("#query", "Control+Enter")
    page.wait_for_selector("#results .count:text-matches('^1500 rows')")
    assert page.text_content("#results .count") == \
        "1500 rows; the first 1000 shown (add a LIMIT, or ask /sparql for CSV)"
    assert page.locator("#results tbody tr").count() == 1000
    page.fill("#query", "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l ; a schema:Organization }")
    page.click("#editor button[type=submit]")
    page.wait_for_selector("#results th:text-is('subject')")
    row = page.eval_on_selector_all("#results tbody td", "tds => tds.map(td => td.textContent)")
    assert row == ["organization:acme", "rdfs:label", ACME_LABEL]  # named as the CLI names them
    assert page.get_attribute("#results tbody a", "title") == KG + "organization/acme"
    page.fill("#query", "ASK { ?s schema:worksFor ?o }")
    page.click("#editor button[type=submit]")
    page.wait_for_selector("#results .boolean")
    assert page.text_content("#results .boolean") == "Yes (true)" and page.is_hidden("#tabs")
    page.fill("#query", "SELECT <b>oops</b>")
    page.click("#editor button[type=submit]")
    page.wait_for_selector("#error:not([hidden])")
    assert page.text_content("#error").startswith("400: ")
    assert page.eval_on_selector_all("main b, main img, main svg", "xs => xs.length") == 0
    reader.problems = [p for p in reader.problems if "400 (Bad Request)" not in p]  # the refused query's own load
    reader.assert_nothing_ran()


def test_browser_entity_page_shows_markup_as_text_and_links_to_neighbours(reader):
    page = reader.open("/entity?iri=" + KG + "person/markup")
    assert page.text_content("#entity-label") == SCRIPT_LABEL
    assert page.title() == SCRIPT_LABEL
    assert page.text_content("table.outgoing blockquote") == SENTENCE
    assert f"hedged: “{HEDGE}”" in page.text_content("table.outgoing .hedge")
    frame = reader.frame_drawn()
    assert frame.eval_on_selector("g.node[data-id='person:markup'] title", "t => t.textContent") == SCRIPT_LABEL
    assert page.eval_on_selector_all("script, main b, main img, main svg, main u", "xs => xs.length") == 0
    reader.assert_nothing_ran(frame)
    page.click(f"table.outgoing a[title='{KG}organization/acme']")
    page.wait_for_selector("table.incoming")
    assert page.text_content("#entity-label") == ACME_LABEL
    assert sorted(page.eval_on_selector_all("table.incoming td:nth-child(2) a", "as => as.map(a => a.textContent)")) == \
        sorted([SCRIPT_LABEL, OTHER_LABEL])
    reader.assert_nothing_ran(reader.frame_drawn())


def test_browser_path_between_two_entities_with_evidence(reader):
    page = reader.open("/path")
    page.fill("input[name=from]", KG + "person/markup")  # a label of the form <...> would read as an IRI
    page.fill("input[name=to]", OTHER_LABEL)
    page.click("form.path button")
    page.wait_for_selector("#verdict")
    assert page.text_content("#verdict") == f"{SCRIPT_LABEL} and {OTHER_LABEL}: 1 shortest path of 2 relations"
    assert page.text_content(".one-path blockquote") == SENTENCE
    assert page.input_value("input[name=to]") == OTHER_LABEL
    frame = reader.frame_drawn()
    assert frame.locator("g.node").count() == 3
    reader.assert_nothing_ran(frame)
