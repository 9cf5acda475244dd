"""The web-server configurations publish writes into every release (``nginx.conf``, ``.htaccess``),
run by the real servers (Debian's nginx and Apache) on loopback over a published release:
content negotiation answers 303 by Accept with ``Vary: Accept``, every file has the Content-Type
(with its charset) that ``akke-graph serve`` gives it, and what is missing is 404."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from akke_graph.serve.conneg import content_type

from tests.loopback import HTTP
from .webservers import APACHE, MISSING, NGINX, Apache, Nginx, WebServer, web_root

pytestmark = pytest.mark.webserver

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ENTITY = "id/project/akke-turku"


@pytest.fixture(scope="module", params=["nginx", "apache"])
def server(request: pytest.FixtureRequest, published_release: Path) -> Iterator[tuple[WebServer, str]]:
    """(a running server, the URL path the release is served at)."""
    if not (NGINX and APACHE):
        pytest.skip(MISSING)
    import json

    base = json.loads((published_release / "release.json").read_text())["base_iri"]
    base_path = urlsplit(base).path or "/"
    # not under pytest's own temporary folder, which only its owner may enter
    folder = Path(tempfile.mkdtemp(prefix=f"akke-{request.param}-"))
    root = web_root(published_release, folder, base_path)
    release = root / base_path.strip("/")
    made: WebServer = (Nginx(folder, root, release / "nginx.conf") if request.param == "nginx"
                       else Apache(folder, root))
    made.start()
    try:
        yield made, base_path
    finally:
        made.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _get(server: tuple[WebServer, str], path: str, accept: str | None = None) -> httpx.Response:
    web, base_path = server
    return HTTP.get(web.url + base_path + path, headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize("accept,ext", [
    ("text/html", "html"), (BROWSER, "html"), ("*/*", "html"), (None, "html"),
    ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/n-triples", "nt"),
    ("text/turtle;q=0.9, text/html;q=0.1", "ttl"),
])
def test_entities_negotiate(server: tuple[WebServer, str], published_release: Path,
                            accept: str | None, ext: str) -> None:
    r = _get(server, ENTITY, accept)
    assert r.status_code == 303, r.text
    assert r.headers["location"].endswith(f"{server[1]}{ENTITY}.{ext}")
    assert "accept" in r.headers.get("vary", "").lower()
    doc = HTTP.get(httpx.URL(server[0].url).join(r.headers["location"]))
    assert doc.status_code == 200 and doc.content == (published_release / f"{ENTITY}.{ext}").read_bytes()
    assert _same_type(doc.headers["content-type"], content_type(Path(f"x.{ext}")))


def test_unacceptable_and_missing(server: tuple[WebServer, str]) -> None:
    r = _get(server, ENTITY, "image/png")
    assert r.status_code == 406 and "accept" in r.headers.get("vary", "").lower()
    assert _get(server, "id/project/no-such-project", "text/html").status_code == 404
    assert _get(server, "id/project/no-such-project", "text/turtle").status_code == 404
    assert _get(server, "no-such-file.ttl").status_code == 404
    assert _get(server, "ontology", "image/png").status_code == 406


@pytest.mark.parametrize("accept,target", [
    ("text/turtle", "ontology/akke.ttl"), ("text/html", "ontology/index.html"),
    (BROWSER, "ontology/index.html"), (None, "ontology/index.html"),
])
def test_the_ontology_negotiates(server: tuple[WebServer, str], accept: str | None, target: str) -> None:
    r = _get(server, "ontology", accept)
    assert r.status_code == 303 and r.headers["location"].endswith(server[1] + target)
    assert "accept" in r.headers.get("vary", "").lower()
    doc = HTTP.get(httpx.URL(server[0].url).join(r.headers["location"]))
    assert doc.status_code == 200


def test_the_catalog(server: tuple[WebServer, str]) -> None:
    r = _get(server, "catalog", "text/turtle")
    assert r.status_code == 303 and r.headers["location"].endswith(server[1] + "catalog.ttl")


def test_every_file_has_its_type_and_charset(server: tuple[WebServer, str],
                                             published_release: Path) -> None:
    """One file of each kind: the Content-Type is the one akke-graph serve sends."""
    seen: dict[str, Path] = {}
    for path in sorted(published_release.rglob("*")):
        if path.is_file():
            seen.setdefault(path.suffix or path.name, path)
    assert {".html", ".ttl", ".jsonld", ".nt", ".json", ".trig", ".tsv", ".svg"} <= set(seen)
    for path in seen.values():
        rel = path.relative_to(published_release).as_posix()
        r = _get(server, rel)
        if path.name == ".htaccess":
            assert r.status_code in (200, 403), rel   # Apache hides its own configuration
            continue
        assert r.status_code == 200, rel
        assert _same_type(r.headers["content-type"], content_type(path)), (rel, r.headers["content-type"])
    assert _get(server, "release.json").headers["content-type"].startswith("application/json")


def _same_type(sent: str, expected: str) -> bool:
    """Equal media types and charsets (Apache writes charset=UTF-8, nginx charset=utf-8)."""
    def parts(value: str) -> tuple[str, ...]:
        return tuple(p.strip().lower().replace('"', "") for p in value.split(";"))
    return parts(sent) == parts(expected)
