"""The release in a real browser: Debian's Chromium driven by Playwright (never ``playwright
install``). The main pages load at a desktop (1280 px) and a phone (390 px) width, from a plain
static web server and from ``akke-graph serve``, with no script error, no console error, no
horizontal overflow, and every same-origin link answering 200; the search box finds the City of
Turku by "Turun" and by "0204819-8"; under ``serve`` the SPARQL query page is one click away and
each canned query has a "run" link that opens it there. Every wait is for an event or a selector.
"""

from __future__ import annotations

import functools
import http.server
import io
import shutil
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.publish.conftest import ServedRelease
from tests.loopback import HTTP

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ("index.html", "index.en.html", "id/project/akke-turku.html", "id/organisation/turun-kaupunki.html",
         "queries/index.html", "ontology/index.html", "catalog.html")
WIDTHS = (1280, 390)
TURKU = "id/organisation/turun-kaupunki.html"


def _missing() -> str | None:
    if not CHROMIUM.is_file() and shutil.which("chromium") is None:
        return "Chromium is not installed (bash .ci/chromium.sh installs Debian's chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (it comes with the test extra: pip install -e '.[test]')"
    return None


MISSING = _missing()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="module")
def static_site(release: Path) -> Iterator[str]:
    """The default release (no endpoint, no publisher) from a plain static web server."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(release)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served_default(release: Path, loaded) -> Iterator[str]:
    """The default release under ``akke-graph serve`` (no endpoint configured: the pages find
    /sparql and /search by asking who serves them)."""
    from akke_graph.serve import SparqlService

    with SparqlService.from_loaded(loaded, release=release, port=0, timeout_s=120.0, log=io.StringIO()) as service:
        yield service.url + "/"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
        chromium = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """One browser tab that records script errors, console errors and requests."""

    def __init__(self, browser: object, width: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))
        self.page.on("console", lambda msg: self.errors.append(f"console {msg.type}: {msg.text}")
                     if msg.type == "error" else None)
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, url: str) -> None:
        """Load the page and wait until its search box is ready (the page script has run)."""
        self.page.goto(url, wait_until="load")
        self.page.wait_for_selector("form.search[data-state]", state="attached")

    def overflow(self) -> tuple[int, int]:
        return tuple(self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"))  # type: ignore[return-value]

    def links(self) -> set[str]:
        """Every same-origin link and resource of the page, without fragments."""
        # an SVG <a> (the pictures' nodes) has an SVGAnimatedString href, resolved here as HTML's are
        found = self.page.evaluate("""() => [...document.querySelectorAll('a[href], link[href], img[src], script[src]')]
            .map(e => typeof e.href === 'string' ? e.href
                 : e.href ? new URL(e.href.baseVal, document.baseURI).href : e.src)""")
        origin = urlsplit(self.page.url)[:2]
        return {urlunsplit((*parts[:3], parts.query, "")) for parts in map(urlsplit, found)
                if parts[:2] == origin}

    def search(self, text: str) -> list[tuple[str, str]]:
        """Type into the search box; the results' (text, href) once the search has answered."""
        self.page.fill("#site-search", text)
        self.page.wait_for_selector("form.search[data-state=done]")
        return [tuple(x) for x in self.page.evaluate(  # type: ignore[misc]
            "[...document.querySelectorAll('#site-search-results a')].map(a => [a.textContent, a.href])")]

    def __enter__(self) -> "Visit":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def statuses() -> dict[str, int]:
    """The status each link answered with: the sites here do not change while the module runs,
    so a link the pages share at both widths is asked for once."""
    return {}


def check_pages(browser: object, base: str, width: int, statuses: dict[str, int]) -> None:
    links: set[str] = set()
    with Visit(browser, width) as visit:
        for path in PAGES:
            visit.open(base + path)
            scroll, client = visit.overflow()
            assert scroll <= client, f"{path} at {width} px: {scroll} px wide in a {client} px window"
            links |= visit.links()
        assert not visit.errors, visit.errors
    for url in sorted(links - statuses.keys()):
        statuses[url] = HTTP.get(url, timeout=120).status_code
    broken = [(url, statuses[url]) for url in sorted(links) if statuses[url] != 200]
    assert not broken, broken


@pytest.mark.parametrize("width", WIDTHS)
def test_static_pages_load_fit_and_link(browser: object, static_site: str, width: int,
                                        statuses: dict[str, int]) -> None:
    check_pages(browser, static_site, width, statuses)


@pytest.mark.parametrize("width", WIDTHS)
def test_served_pages_load_fit_and_link(browser: object, served_release: ServedRelease, width: int,
                                        statuses: dict[str, int]) -> None:
    check_pages(browser, served_release.url + "/", width, statuses)


@pytest.mark.parametrize("width", WIDTHS)
def test_served_default_pages_load_fit_and_link(browser: object, served_default: str, width: int,
                                                statuses: dict[str, int]) -> None:
    check_pages(browser, served_default, width, statuses)


def finds_turku(results: list[tuple[str, str]], name: str) -> bool:
    return any(text == name and href.endswith(TURKU) for text, href in results)


def test_static_search_finds_by_name_and_business_id(browser: object, static_site: str) -> None:
    with Visit(browser, 390) as visit:
        visit.open(static_site + "index.html")
        assert finds_turku(visit.search("Turun"), "Turun kaupunki")
        assert finds_turku(visit.search("0204819-8"), "Turun kaupunki")
        assert finds_turku(visit.search("TURUN KAUPUNKI"), "Turun kaupunki")
        visit.open(static_site + "id/project/akke-turku.html")           # from a page deeper down
        results = visit.search("turun")
        assert finds_turku(results, "Turun kaupunki")
        visit.page.click(f"#site-search-results a[href$='{TURKU}']")
        visit.page.wait_for_url("**/" + TURKU)
        visit.open(static_site + "index.en.html")
        assert finds_turku(visit.search("city of turku"), "City of Turku")
        assert any(url.endswith("search/index.json") for url in visit.requests)
        assert not visit.errors, visit.errors


def test_served_search_asks_the_server(browser: object, served_default: str) -> None:
    with Visit(browser, 1280) as visit:
        visit.open(served_default + "index.html")
        assert finds_turku(visit.search("Turun"), "Turun kaupunki")
        assert finds_turku(visit.search("0204819-8"), "Turun kaupunki")
        assert any("/search?q=" in url for url in visit.requests)
        assert not any(url.endswith("search/index.json") for url in visit.requests)
        sparql = visit.page.locator("nav a[data-serve-only]")
        assert sparql.is_visible() and sparql.get_attribute("href") == served_default + "sparql"
        assert not visit.errors, visit.errors


def test_the_static_release_shows_no_sparql_link(browser: object, static_site: str) -> None:
    with Visit(browser, 1280) as visit:
        visit.open(static_site + "index.html")
        assert not visit.page.locator("nav a[data-serve-only]").is_visible()
        assert visit.page.locator("a.run").count() == 0


def test_run_links_open_the_query_on_the_endpoints_query_page(browser: object, served_release: ServedRelease) -> None:
    """Each canned query has a "run" link to the endpoint's query page with the query in its
    editor. (The query page's own editor may ask the internet for prefixes: its console is not
    this release's and is not checked.)"""
    with Visit(browser, 1280) as visit:
        visit.open(served_release.url + "/queries/index.html")
        runs = visit.page.eval_on_selector_all("a.run", "links => links.map(a => a.href)")
        names = sorted(p.stem for p in (served_release.folder / "queries" / "grlc").glob("*.rq"))
        assert len(runs) == len(names) and all(r.startswith(served_release.endpoint + "#query=") for r in runs)
        nav = visit.page.locator("header nav a", has_text="SPARQL")
        assert nav.first.get_attribute("href") == served_release.endpoint
        assert not visit.errors, visit.errors
        visit.page.click("#work-packages a.run")
        visit.page.wait_for_selector(".CodeMirror")
        text = visit.page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
        assert "akke:WorkPackage" in text and "<https://w3id.org/akke/id/project/akke-turku>" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_the_pictures_label_fit_and_link(browser: object, static_site: str, release: Path, width: int) -> None:
    """The ecosystem picture's labels are whole and inside the picture, its nodes link to their
    pages; the timeline has a bar, linking to its page, for every project."""
    import json

    with Visit(browser, width) as visit:
        visit.open(static_site + "index.html")
        texts = visit.page.evaluate("""() => {
            const svg = document.querySelector('figure svg'); const box = svg.viewBox.baseVal;
            return [...svg.querySelectorAll('text')].map(t => { const b = t.getBBox();
              return [t.textContent, b.x >= box.x - 1 && b.x + b.width <= box.x + box.width + 1]; }); }""")
        assert texts and all(not text.endswith("…") and inside for text, inside in texts), texts
        nodes = visit.page.eval_on_selector_all("figure svg a", "links => links.map(a => a.href.baseVal || a.href)")
        assert nodes
        index = json.loads((release / "search/index.json").read_text(encoding="utf-8"))
        projects = [r[1] for r in index["records"] if index["kinds"][r[0]] == "project"]
        visit.page.goto(static_site + "img/timeline.svg")
        linked = visit.page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))")
        for slug in projects:
            assert any(href and href.endswith(f"project/{slug}.html") for href in linked), slug


@pytest.fixture(scope="module")
def bucketed_site(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The default release with its search index split into buckets, as a national graph's is."""
    import json

    from akke_graph.search import ALL, INDEX, index_documents

    folder = tmp_path_factory.mktemp("bucketed") / "dist"
    shutil.copytree(release, folder)
    records = json.loads((folder / INDEX).read_text(encoding="utf-8"))["records"]
    shutil.rmtree(folder / "search")
    documents = index_documents(records, limit=2_000)
    assert len(documents) > 3 and ALL in documents
    for path, data in documents.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_bucketed_index_is_searched_bucket_by_bucket(browser: object, bucketed_site: str) -> None:
    with Visit(browser, 390) as visit:
        visit.open(bucketed_site + "index.html")
        assert finds_turku(visit.search("Turun"), "Turun kaupunki")
        assert finds_turku(visit.search("0204819-8"), "Turun kaupunki")
        assert finds_turku(visit.search("turun kaupunki"), "Turun kaupunki")
        loaded = {url.rsplit("/", 1)[1] for url in visit.requests if "/search/b/" in url}
        assert loaded and loaded <= {"tu.json", "02.json", "ka.json"}, loaded
        assert not any(url.endswith("search/all.json") for url in visit.requests)
        assert not visit.errors, visit.errors
