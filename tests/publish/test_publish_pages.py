"""The linked-data pages: valid HTML (html5lib, strict) with ``lang`` set, every link and image
resolving to a file (and fragment) of the release, a page and RDF files for every own entity, and
the server snippets for content negotiation."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pyoxigraph as ox
import pytest

from akke_graph.publish.site import RDF_FORMATS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def html_pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


@dataclass(frozen=True)
class Page:
    """What the tests read of a page parsed strictly: its ``lang``, its elements (tag and
    attributes, in document order) and their ids."""

    lang: str | None
    elements: tuple[tuple[str, dict[str, str]], ...]
    ids: frozenset[str]


class Elements(HTMLParser):
    """The start tags of a page and their attributes, by the standard library's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


class Pages:
    """Pages parsed once per distinct content (most pages of the release and of the release
    without persons are byte for byte the same): with html5lib, strictly (a parse error raises),
    or, where only the links and ids are read, with the standard library's parser, which is
    several times faster (the strict parse of the same release is tested on its own)."""

    def __init__(self, strict: bool = True) -> None:
        self.strict = strict
        self.parsed: dict[bytes, Page] = {}

    def __call__(self, path: Path) -> Page:
        data = path.read_bytes()
        key = hashlib.sha256(data).digest()
        if key not in self.parsed:
            if self.strict:
                document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
                elements = tuple((element.tag, dict(element.attrib)) for element in document.iter())
                lang = document.get("lang")
            else:
                parser = Elements()
                parser.feed(data.decode("utf-8"))
                parser.close()
                elements = tuple(parser.elements)
                lang = next((attrs.get("lang") for tag, attrs in elements if tag == "html"), None)
            self.parsed[key] = Page(lang, elements,
                                    frozenset(attrs["id"] for _, attrs in elements if attrs.get("id")))
        return self.parsed[key]


@pytest.fixture(scope="module")
def page() -> Pages:
    return Pages()


@pytest.fixture(scope="module")
def links_of() -> Pages:
    return Pages(strict=False)


def release_files(folder: Path) -> set[str]:
    """Every file of a release, as paths relative to it (a release holds no symbolic link, so a
    normalised path names the file it resolves to)."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            assert not os.path.islink(os.path.join(dirpath, name)), os.path.join(dirpath, name)
        where = os.path.relpath(dirpath, folder)
        found.update(posixpath.normpath(posixpath.join(where, name)) for name in filenames)
    return found


@pytest.mark.parametrize("fixture", ["release", "anonymous_release", "rebased_release"])
def test_every_link_resolves_to_a_file_of_the_release(fixture: str, request, links_of: Pages) -> None:
    folder: Path = request.getfixturevalue(fixture)
    files = release_files(folder)
    broken, checked = [], 0
    for path in html_pages(folder):
        where = path.parent.relative_to(folder).as_posix()
        here = path.relative_to(folder).as_posix()
        for _, attributes in links_of(path).elements:
            for attribute in ("href", "src"):
                link = attributes.get(attribute)
                if link is None:
                    continue
                parts = urlsplit(link)
                if parts.scheme in ("http", "https", "mailto", "data"):
                    continue   # external links (and inline data) are not the release's to check
                assert not parts.scheme and not parts.netloc, f"{path}: {link}"
                target = posixpath.normpath(posixpath.join(where, unquote(parts.path))) if parts.path else here
                checked += 1
                if target not in files:      # a folder, a missing file, or outside the release
                    broken.append(f"{here} → {link}")
                elif parts.fragment and target.endswith(".html") and parts.fragment not in links_of(folder / target).ids:
                    broken.append(f"{here} → {link} (no id {parts.fragment!r})")
    assert checked > 1000
    assert not broken, broken[:20]


def test_html_parses_strictly_with_lang_set(release: Path, page: Pages) -> None:
    """Every page reads without JavaScript; the only script is the search box's (deferred, from
    the release itself), besides the schema.org description of the landing pages."""
    pages = html_pages(release)
    assert len(pages) > 50
    for path in pages:
        parsed = page(path)   # strict: raises on any parse error
        assert parsed.lang in ("fi", "en"), path
        for tag, element in parsed.elements:
            if tag == "script" and element.get("type") != "application/ld+json" and \
                    not (element.get("src", "").endswith("search.js") and element.get("defer") is not None):
                pytest.fail(f"{path} runs a script other than the release's own search.js")
            if tag == "link" and element.get("rel") == "stylesheet":
                pytest.fail(f"{path} loads an external stylesheet")
            if element.get("src", "").startswith(("http://", "https://")):
                pytest.fail(f"{path} loads {element.get('src')} from the network")


def test_every_own_entity_has_a_page_and_rdf(release: Path, loaded, config) -> None:
    entities = set()
    for quad in loaded.store.quads():
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(config.id_base):
                entities.add(term.value.split("#", 1)[0])
    assert len(entities) > 50
    for iri in entities:
        stem = release / ("id/" + iri[len(config.id_base):])
        assert stem.with_suffix(".html").is_file(), iri
        for ext, _, _ in RDF_FORMATS:
            assert Path(f"{stem}.{ext}").is_file(), (iri, ext)


def test_entity_rdf_files_describe_the_entity_and_its_parts(release: Path, config) -> None:
    stem = release / "id/project/akke-turku"
    formats = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}
    parsed = {ext: {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(path=f"{stem}.{ext}", format=fmt)}
              for ext, fmt in formats.items()}
    assert parsed["ttl"] == parsed["jsonld"] == parsed["nt"]
    subjects = {s for s, _, _ in parsed["ttl"]}
    project = f"<{config.id_base}project/akke-turku>"
    assert project in subjects and f"<{config.id_base}project/akke-turku#grant>" in subjects
    html = (release / "id/project/akke-turku.html").read_text(encoding="utf-8")
    assert 'id="grant"' in html and "Turun kaupunki" in html and "City of Turku" not in html.split("<h1>")[0]


def test_entity_page_shows_labels_types_links_incoming_and_sources(release: Path) -> None:
    html = (release / "id/organisation/turun-kaupunki.html").read_text(encoding="utf-8")
    assert '<span lang="fi">Turun kaupunki</span>' in html and '<span lang="en">City of Turku</span>' in html
    assert "org:FormalOrganization" in html or "FormalOrganization" in html
    assert 'href="../project/akke-turku.html' in html        # incoming: the project's membership
    assert "data/organisations.ttl" in html                  # the source file
    assert 'href="turun-kaupunki.ttl"' in html and 'type="text/turtle"' in html


def test_landing_pages(release: Path, page: Pages) -> None:
    for name, lang in (("index.html", "fi"), ("index.en.html", "en")):
        assert page(release / name).lang == lang
        html = (release / name).read_text(encoding="utf-8")
        assert "<svg" in html and "ecosystem-title" in html      # the ecosystem picture, embedded
        assert "img/timeline" in html
        for dump in ("dumps/akke-graph.ttl", "dumps/akke-graph.nt", "dumps/akke-graph.jsonld", "dumps/akke-graph.trig"):
            assert f'href="{dump}"' in html
        assert "creativecommons.org/licenses/by/4.0" in html
        assert "1.0.0" in html                                   # version in the citation
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    sha = next(f["sha256"] for f in manifest["files"] if f["path"] == "dumps/akke-graph.ttl")
    assert sha in (release / "index.html").read_text(encoding="utf-8")


def test_pictures_are_standalone_svg(release: Path) -> None:
    import xml.etree.ElementTree as ET

    for name in ("ecosystem", "timeline"):
        for suffix in ("", ".en"):
            root = ET.parse(release / "img" / f"{name}{suffix}.svg").getroot()
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            assert root.find("{http://www.w3.org/2000/svg}title") is not None
    ecosystem = (release / "img/ecosystem.svg").read_text(encoding="utf-8")
    for label in ("AKKE – Alueellisten ekosysteemien", "Turun kaupunki", "Turku Science Park Oy"):
        assert label in ecosystem
    assert 'href="../id/project/akke-turku.html"' in ecosystem       # every node links to its page
    timeline = (release / "img/timeline.svg").read_text(encoding="utf-8")
    assert "2021-05-01" in timeline and 'href="../id/project/akke-turku.html"' in timeline


def test_server_snippets_negotiate_content(release: Path) -> None:
    htaccess = (release / ".htaccess").read_text(encoding="utf-8")
    nginx = (release / "nginx.conf").read_text(encoding="utf-8")
    for ext, _, media in RDF_FORMATS:
        assert media.replace("+", "\\+") in htaccess and f".{ext}" in htaccess
        assert media.replace("+", "\\+") in nginx
    assert "R=303" in htaccess and "R=406" in htaccess
    assert "return 303" in nginx and "return 406" in nginx


def test_ontology_and_query_pages(release: Path, config) -> None:
    html = (release / "ontology/index.html").read_text(encoding="utf-8")
    for term in ("WorkPackage", "EcosystemAgreement", "CityRegion", "contractingParty", "businessId"):
        assert f'id="{term}"' in html
    assert "org:Membership" in html                           # a reused term
    queries = sorted(p.stem for p in config.queries_dir.glob("*.rq"))
    if (release / "queries/index.html").is_file():
        page = (release / "queries/index.html").read_text(encoding="utf-8")
        for name in queries:
            assert f'id="{name}"' in page
        rdf = list(ox.parse(path=str(release / "queries/queries.ttl"), format=ox.RdfFormat.TURTLE))
        assert len({q.subject for q in rdf}) == len(queries)


def test_periods_are_dates_in_the_pages_language(release: Path) -> None:
    project = (release / "id/project/akke-turku.html").read_text(encoding="utf-8")
    assert ">1.5.2021–31.12.2021</a>" in project                  # the dcterms:temporal row
    assert "akke-turku#period</a>" not in project
    assert "1.5.2021–31.12.2021" in (release / "index.html").read_text(encoding="utf-8")
    assert "1 May 2021 – 31 December 2021" in (release / "index.en.html").read_text(encoding="utf-8")


def test_no_page_shows_a_bare_blank_node(release: Path) -> None:
    """Blank nodes are shown nested, or through the entity they hang from; a mapping's SSSOM
    annotation (an owl:Axiom) beside the mapping it annotates."""
    for page in html_pages(release):
        assert "<td>[ ]</td>" not in page.read_text(encoding="utf-8"), page
    theme = (release / "id/theme/circular-economy.html").read_text(encoding="utf-8")
    assert "ManualMappingCuration" in theme and "owl:annotatedSource" not in theme


def test_incoming_links_say_through_what(release: Path) -> None:
    html = (release / "id/organisation/turun-kaupunki.html").read_text(encoding="utf-8")
    incoming = html.split('<ul class="incoming">', 1)[1].split("</ul>", 1)[0]
    lines = incoming.strip().splitlines()
    assert len(lines) == len(set(lines))                            # one line per linking entity
    for number in ("1", "2", "5"):                                   # the work packages it is responsible for
        assert any("vastuutaho" in line and f"Työpaketti {number}:" in line for line in lines), number


def test_mapped_iris_show_their_labels_and_business_ids_link_to_the_register(release: Path) -> None:
    theme = (release / "id/theme/circular-economy.html").read_text(encoding="utf-8")
    assert '<a href="http://www.yso.fi/onto/yso/p28601" title="http://www.yso.fi/onto/yso/p28601">kiertotalous · p28601</a>' in theme
    turku = (release / "id/organisation/turun-kaupunki.html").read_text(encoding="utf-8")
    assert ">Turku · Q38511</a>" in turku
    assert '<a href="https://tietopalvelu.ytj.fi/yritys/0204819-8"' in turku


def test_the_release_line_names_its_date_once(release: Path, tmp_path: Path, publish_into, seed_project: Path) -> None:
    assert "Julkaisu 1.0.0 · 1.1.2026 ·" in (release / "index.html").read_text(encoding="utf-8")
    out = tmp_path / "dated"
    publish_into(seed_project, out)                                  # version = today's date
    html = (out / "index.html").read_text(encoding="utf-8")
    line = html.split('<p class="subtitle">', 1)[1].split("</p>", 1)[0]
    assert line.startswith("Julkaisu 2026-01-01 · ") and "1.1.2026" not in line, line


def test_the_search_index_holds_names_and_business_ids(release: Path, anonymous_release: Path) -> None:
    index = json.loads((release / "search/index.json").read_text(encoding="utf-8"))
    kinds = index["kinds"]
    by_slug = {(kinds[r[0]], r[1]): r for r in index["records"]}
    turku = by_slug[("organisation", "turun-kaupunki")]
    assert turku[2] == "Turun kaupunki" and turku[3] == "City of Turku"
    assert turku[5] == ["0204819-8"]
    assert {"project", "person", "theme", "agreement"} <= {k for k, _ in by_slug}
    assert (release / "search.js").is_file()
    anonymous = json.loads((anonymous_release / "search/index.json").read_text(encoding="utf-8"))
    assert "person" not in {anonymous["kinds"][r[0]] for r in anonymous["records"]}
