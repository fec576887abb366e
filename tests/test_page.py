"""The interactive page in headless Chromium, opened from disk with the network cut off.

The page drawn is the Soundtrack article's (read alone), so that its layout, counts and the places
the tests click stay the same whatever else graph/ holds."""

from __future__ import annotations

import pytest

from conftest import DATA, require, soundtrack_only

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' brings playwright")

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
MARKUP = "<script>alert('boom')</script><b>Bold</b> & <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser():
    chromium = require("chromium", "chromium")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        yield launched
        launched.close()


class Visit:
    """A page opened from a file, recording what a careful reader of the page would worry about."""

    def __init__(self, browser, path, width=1280, height=800):
        self.url = path.as_uri()
        self.context = browser.new_context(offline=True, viewport={"width": width, "height": height})
        self.requests, self.problems, self.dialogs = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-layout=done]", timeout=60_000)

    def _route(self, route):
        self.requests.append(route.request.url)
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()


@pytest.fixture(scope="module")
def soundtrack_page(browser, tmp_path_factory):
    from click.testing import CliRunner

    from kgtool.cli import cli

    path = tmp_path_factory.mktemp("page") / "soundtrack.html"
    result = CliRunner().invoke(cli, ["viz", *soundtrack_only(), "-o", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    visit = Visit(browser, path)
    yield visit
    visit.context.close()


def test_the_page_loads_offline_without_errors_or_requests(soundtrack_page):
    assert soundtrack_page.problems == []
    assert soundtrack_page.dialogs == []
    assert soundtrack_page.requests == [soundtrack_page.url]


def test_every_node_is_drawn_inside_the_canvas(soundtrack_page, soundtrack):
    from kgtool.pictures.relations import build

    expected = set(build(soundtrack).nodes)
    page = soundtrack_page.page
    drawn = page.eval_on_selector_all("g.node", """nodes => nodes.map(n => {
        const r = n.getBoundingClientRect(), c = document.getElementById('canvas').getBoundingClientRect();
        return [n.dataset.id, r.width > 0 && r.height > 0 && r.left >= c.left - 1 && r.right <= c.right + 1
                && r.top >= c.top - 1 && r.bottom <= c.bottom + 1];
    })""")
    assert len(drawn) == len(expected) == 36
    assert {node for node, _ in drawn} == expected
    assert [node for node, inside in drawn if not inside] == []
    assert page.locator("g.edge").count() == 56


def test_search_finds_steve_martin_and_shows_his_evidence(soundtrack_page):
    page = soundtrack_page.page
    page.fill("#search", "steve martin")
    page.keyboard.press("Enter")
    assert page.text_content("#count") == "1 match"
    assert page.eval_on_selector_all("g.node.match", "ns => ns.map(n => n.dataset.id)") == ["person:steve-martin"]
    assert page.text_content("#details h2") == "Steve Martin"
    assert "Pennies From Heaven, a BBC miniseries in 1978" in page.text_content("#details blockquote")
    page.fill("#search", "")
    page.locator("#search").dispatch_event("input")


def test_clicking_an_entity_shows_type_iri_attributes_and_edge_evidence(soundtrack_page):
    page = soundtrack_page.page
    page.click("#fit")
    page.click("g.node[data-id='work:soundtrack']")
    details = page.text_content("#details")
    assert "https://kgtool.example/id/work/soundtrack" in details
    assert "work · kg:ScriptedSeries, schema:CreativeWork, schema:CreativeWorkSeries, schema:TVSeries" in details
    assert "musical drama" in details
    assert "Jenna Dewan — played Joanna Kassem in → Soundtrack" in details
    assert "On the 10-episode series, Dewan played Joanna Kassem" in details


def test_drag_zoom_and_pan_move_things(soundtrack_page):
    page = soundtrack_page.page
    page.click("#fit")
    node = page.locator("g.node[data-id='person:steve-martin']")
    moved_from = node.get_attribute("transform")
    box = node.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 80, box["y"] + 60, steps=4)
    page.mouse.up()
    assert node.get_attribute("transform") != moved_from
    before = page.get_attribute("#viewport", "transform")
    page.mouse.move(300, 300)
    page.mouse.wheel(0, -400)
    zoomed = page.get_attribute("#viewport", "transform")
    assert zoomed != before and "scale(" in zoomed
    page.mouse.move(5, 400)
    page.mouse.down()
    page.mouse.move(105, 450, steps=4)
    page.mouse.up()
    assert page.get_attribute("#viewport", "transform") != zoomed


def test_markup_in_labels_is_shown_as_text(browser, tmp_path):
    from click.testing import CliRunner

    from kgtool.cli import cli

    path = tmp_path / "markup.html"
    result = CliRunner().invoke(cli, ["viz", "-g", str(DATA / "markup-label.ttl"), "--title", "<i>Title</i>",
                                      "-o", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    visit = Visit(browser, path)
    page = visit.page
    try:
        assert visit.problems == [] and visit.dialogs == []
        assert page.title() == "<i>Title</i>"
        assert page.eval_on_selector("g.node[data-id='person:markup'] title", "t => t.textContent") == MARKUP
        assert page.eval_on_selector("g.node[data-id='person:markup'] text", "t => t.textContent") != ""
        assert page.eval_on_selector_all("body b, body img, body i, #canvas script", "xs => xs.length") == 0
        page.click("g.node[data-id='person:markup']")
        assert page.text_content("#details h2") == MARKUP
        assert page.text_content("#details").count("Acme </script><!-- co") == 1
        assert visit.requests == [visit.url]
    finally:
        visit.context.close()


# -- readable at every zoom: labels never below 11 px on screen, edge words once they would be readable --

LABELS = """() => [...document.querySelectorAll('g.node')].filter(g => !g.classList.contains('bare')).map(g => {
    const t = g.querySelector('text'), box = g.querySelector('rect').getBoundingClientRect();
    return {id: g.dataset.id, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            box: [box.left, box.top, box.right, box.bottom]};
})"""
EDGE_WORDS = """() => [...document.querySelectorAll('g.edge text')].filter(t => getComputedStyle(t).display !== 'none')
    .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""


def _zoom(page) -> float:
    return float(page.get_attribute("#viewport", "transform").split("scale(")[1].rstrip(")"))


def _overlapping(labels) -> list[tuple[str, str]]:
    return [(a["id"], b["id"]) for i, a in enumerate(labels) for b in labels[i + 1:]
            if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2]
            and a["box"][1] < b["box"][3] and b["box"][1] < a["box"][3]]


@pytest.fixture(scope="module")
def wide_page(browser, tmp_path_factory):
    from click.testing import CliRunner

    from kgtool.cli import cli

    path = tmp_path_factory.mktemp("wide") / "soundtrack.html"
    assert CliRunner().invoke(cli, ["viz", *soundtrack_only(), "-o", str(path)], catch_exceptions=False).exit_code == 0
    visit = Visit(browser, path, 1400, 1000)
    yield visit
    visit.context.close()


def test_the_fitted_view_shows_every_label_at_a_readable_size_and_no_edge_words(wide_page):
    page = wide_page.page
    page.click("#fit")
    labels = page.evaluate(LABELS)
    assert len(labels) == 36  # every entity keeps its label
    assert min(label["px"] for label in labels) >= 11
    assert _overlapping(labels) == []
    assert page.evaluate(EDGE_WORDS) == []  # 56 edges of words too small to read are left out


def test_each_wheel_notch_zooms_a_small_step_and_edge_words_appear_when_readable(wide_page):
    page = wide_page.page
    page.click("#fit")
    fitted = _zoom(page)
    page.mouse.move(500, 500)
    page.mouse.wheel(0, -100)  # one notch
    assert _zoom(page) / fitted == pytest.approx(1.1)
    page.mouse.wheel(0, -1000)  # a flick is still one step per event
    assert _zoom(page) / fitted == pytest.approx(1.21)
    page.mouse.wheel(0, -100)
    words = page.evaluate(EDGE_WORDS)
    assert len(words) == 56 and min(words) >= 11
    page.mouse.wheel(0, 100)
    assert _zoom(page) / fitted == pytest.approx(1.21)
    page.click("#fit")
    assert page.evaluate(EDGE_WORDS) == []


def test_a_big_graph_keeps_readable_labels_where_they_have_room(browser, tmp_path):
    import random

    from click.testing import CliRunner

    from kgtool.cli import cli

    rnd = random.Random(3)
    lines = ["@prefix schema: <https://schema.org/> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for i in range(400):
        lines.append(f'<https://kgtool.example/id/person/p{i}> a schema:Person ; rdfs:label "Person number {i}" ; '
                     f"schema:knows <https://kgtool.example/id/person/p{rnd.randrange(400)}> .")
    (tmp_path / "big.ttl").write_text("\n".join(lines) + "\n")
    path = tmp_path / "big.html"
    result = CliRunner().invoke(cli, ["viz", "-g", str(tmp_path / "big.ttl"), "-o", str(path)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    visit = Visit(browser, path, 1400, 1000)
    try:
        labels = visit.page.evaluate(LABELS)
        assert 20 <= len(labels) < 400  # the busiest keep their labels; the rest are small squares
        assert min(label["px"] for label in labels) >= 11
        assert _overlapping(labels) == []
        assert visit.problems == []
    finally:
        visit.context.close()
