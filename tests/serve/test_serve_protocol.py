"""``/sparql`` as clients on other machines and origins meet it: the dataset a query names is the
one it gets, SERVICE reaches nothing unless allowed, a failed answer is never a 200 nor cached,
no query can crash the engine, and CORS, Vary, chunked bodies and charsets as the HTTP and SPARQL
specifications want them. Every test runs against the real service on loopback."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from akke_graph.load import LoadedGraph
from akke_graph.query.check import MAX_NESTING, QueryRefused, check_query

from tests.loopback import HTTP
from .logs import wait_for_log
from .stub import RecordingEndpoint
from .test_query_check import _shapes

JSON = {"Accept": "application/sparql-results+json"}
EDITOR = "https://editor.example"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def stub() -> Iterator[RecordingEndpoint]:
    with RecordingEndpoint() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def open_service(validated: LoadedGraph, seed_loaded: LoadedGraph, release_dir,
                 stub: RecordingEndpoint):
    """A service that allows SERVICE calls to the stub and cross-origin reads to one origin, on
    the seed graph (what its tests ask is not about the imported records; a SERVICE call per
    triple costs a third as much)."""
    from akke_graph.serve import SparqlService

    log = io.StringIO()
    svc = SparqlService.from_loaded(seed_loaded, release=release_dir, port=0, timeout_s=600.0,
                                    log=log, allowed_services=[stub.url], cors_origins=[EDITOR])
    svc.log_buffer = log  # type: ignore[attr-defined]
    with svc:
        yield svc


def _count(url: str, query: str, method: str = "GET", **params: str) -> int:
    if method == "GET":
        r = HTTP.get(url + "/sparql", params={"query": query, **params}, headers=JSON)
    else:
        r = HTTP.post(url + "/sparql", data={"query": query, **params}, headers=JSON)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def _graphs(validated: LoadedGraph) -> tuple[str, str]:
    """Two named graphs of different sizes, neither the whole."""
    sizes = sorted((len(list(validated.store.quads(g))), g) for g in validated.store.graphs())
    return sizes[len(sizes) // 2][1], sizes[-1][1]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_dataset_a_query_names_is_the_one_it_gets(service, validated: LoadedGraph,
                                                       method: str) -> None:
    graph, other = _graphs(validated)
    size = len(list(validated.store.quads(graph)))
    assert 0 < size < len(validated.store)
    assert _count(service.url, COUNT, method) == len(validated.store)   # no dataset: the union
    assert _count(service.url, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}",
                  method) == size
    assert _count(service.url, COUNT, method, **{"default-graph-uri": graph}) == size
    assert _count(service.url, f"select (count(*) as ?n) from<{graph}> from <{other}> "
                  "{ ?s ?p ?o }", method) == size + len(list(validated.store.quads(other)))
    named = f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ }} }}"
    assert _count(service.url, named, method) == 1
    assert _count(service.url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { } }",
                  method, **{"named-graph-uri": graph}) == 1
    # FROM NAMED alone leaves the default graph empty (SPARQL 1.1, 13.2)
    assert _count(service.url, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> {{ ?s ?p ?o }}",
                  method) == 0
    # a dataset clause in a comment or a string is no dataset clause
    assert _count(service.url, f"# FROM <{graph}>\n{COUNT}", method) == len(validated.store)


def test_service_is_refused_and_sends_nothing(service, stub: RecordingEndpoint) -> None:
    stub.requests.clear()
    query = f"SELECT * WHERE {{ SERVICE <{stub.url}> {{ ?s ?p ?o }} }}"
    attempts = [
        HTTP.get(service.url + "/sparql", params={"query": query}, headers=JSON),
        HTTP.post(service.url + "/sparql", data={"query": query}, headers=JSON),
        HTTP.post(service.url + "/sparql", content=query,
                   headers={"Content-Type": "application/sparql-query", **JSON}),
        HTTP.get(service.url + "/sparql", headers=JSON, params={
            "query": f"PREFIX e: <{stub.url[:-6]}> SELECT * {{ SERVICEe:sparql{{}} }}"}),
    ]
    for r in attempts:
        assert r.status_code == 400, r.text
        assert "SERVICE" in r.text and "not allowed" in r.text
        assert "sends no query to other servers" in r.text
    assert stub.requests == []


def test_an_allowed_service_is_called(open_service, stub: RecordingEndpoint) -> None:
    stub.requests.clear()
    r = HTTP.get(open_service.url + "/sparql", headers=JSON,
                  params={"query": f"SELECT * WHERE {{ SERVICE <{stub.url}> {{ }} }}"})
    assert r.status_code == 200 and stub.requests
    other = HTTP.get(open_service.url + "/sparql", headers=JSON,
                      params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { } }"})
    assert other.status_code == 400 and f"allowed are endpoints beginning with {stub.url}" in other.text


def test_a_failed_answer_is_an_error_and_is_not_cached(open_service, stub: RecordingEndpoint) -> None:
    """Oxigraph streams a 200 whose body ends with the SERVICE's error: that is a 502 with the
    error, and the same query answers properly once the remote endpoint works."""
    query = f"SELECT * WHERE {{ SERVICE <{stub.url}> {{ }} }}"
    stub.status = 500
    try:
        failed = HTTP.get(open_service.url + "/sparql", params={"query": query}, headers=JSON)
        assert failed.status_code == 502
        assert "failed while its answer was being produced" in failed.text
        assert "500 Internal Server Error" in failed.text     # what the engine said
        assert failed.headers["content-type"] == "text/plain; charset=utf-8"
    finally:
        stub.status = 200
    ok = HTTP.get(open_service.url + "/sparql", params={"query": query}, headers=JSON)
    assert ok.status_code == 200 and ok.json()["results"]["bindings"] == [{}]


def test_a_failure_after_the_head_went_out_cuts_the_connection(
        open_service, stub: RecordingEndpoint, seed_loaded: LoadedGraph,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A long answer (streamed after 16 KiB) whose SERVICE fails part-way: the client sees an
    incomplete answer, never a complete-looking one."""
    monkeypatch.setattr(open_service.httpd, "buffer_limit", 16 << 10)
    # LATERAL calls the endpoint once per row: rows go out, then the engine fails; it appends
    # its error, which ends with the stub's answer: the body ends like a complete JSON answer.
    # Over the largest graph only: 150 rows are past the 16 KiB, and each row is a call.
    size, graph = max((len(list(seed_loaded.store.quads(g))), g) for g in seed_loaded.store.graphs())
    assert size > 2 * 150
    query = f"SELECT * FROM <{graph}> WHERE {{ ?s ?p ?o LATERAL {{ SERVICE <{stub.url}> {{ }} }} }}"
    stub.requests.clear()
    stub.fail_after = 150
    try:
        with HTTP.stream("GET", open_service.url + "/sparql", params={"query": query},
                          headers=JSON, timeout=600) as r:
            assert r.status_code == 200 and r.headers.get("transfer-encoding") == "chunked"
            with pytest.raises(httpx.TransportError):
                for _ in r.iter_bytes():
                    pass
    finally:
        stub.fail_after = None
    wait_for_log(open_service, "answer cut: the engine failed")
    whole = HTTP.get(open_service.url + "/sparql", params={"query": query}, headers=JSON,
                      timeout=600)
    assert whole.status_code == 200 and len(whole.json()["results"]["bindings"]) == size


def _just_within(shape: str) -> str:
    """The deepest query of a shape that the check lets through."""
    low, high = 1, MAX_NESTING + 1
    while low < high:
        middle = (low + high + 1) // 2
        try:
            check_query(_shapes(middle)[shape])
            low = middle
        except QueryRefused:
            high = middle - 1
    return _shapes(low)[shape]


# Shapes the engine answers at once just within the limit (the others it may take minutes to
# plan: the timeout stops them; they are refused past the limit like these).
QUICK_SHAPES = ("brackets", "groups", "UNION", "||", "+", "FILTER EXISTS", "subqueries")


def test_deep_queries_are_refused_and_the_engine_keeps_answering(patient_service) -> None:
    """Queries far past the limit (20,000 deep, which crash Oxigraph when they reach it) are
    refused; queries just within it are answered; the engine is the same process throughout."""
    pid = patient_service.upstream.current.pid
    for shape, query in {**_shapes(20_000), **_shapes(MAX_NESTING + 1)}.items():
        r = HTTP.post(patient_service.url + "/sparql", data={"query": query}, headers=JSON,
                       timeout=600)
        assert r.status_code == 400 and "nests too deep" in r.text, shape
        assert _count(patient_service.url, "SELECT (COUNT(*) AS ?n) WHERE { }") == 1
    for shape in QUICK_SHAPES:
        r = HTTP.post(patient_service.url + "/sparql", data={"query": _just_within(shape)},
                       headers=JSON, timeout=600)
        assert r.status_code in (200, 400), (shape, r.text)    # 400: the engine's own verdict
        assert patient_service.upstream.current.pid == pid, shape
    huge = "ASK {}" + " " * (600 << 10)
    r = HTTP.post(patient_service.url + "/sparql", data={"query": huge}, headers=JSON)
    assert r.status_code == 400 and "KiB" in r.text
    assert patient_service.upstream.current.pid == pid
    assert patient_service.upstream.current.process.poll() is None


def test_cors_preflight_and_reads(service) -> None:
    origin = {"Origin": "https://notebook.example"}
    pre = httpx.options(service.url + "/sparql", headers={
        **origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204 and pre.content == b""
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "content-type" in pre.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in pre.headers
    for r in (HTTP.get(service.url + "/sparql", params={"query": "ASK {}"}, headers={**origin, **JSON}),
              HTTP.post(service.url + "/sparql", data={"query": "ASK {}"}, headers={**origin, **JSON}),
              HTTP.get(service.url + "/sparql", params={"query": "nonsense"}, headers=origin),
              HTTP.get(service.url + "/id/project/akke-turku.ttl", headers=origin),
              HTTP.get(service.url + "/id/project/akke-turku", headers=origin)):
        assert r.headers["access-control-allow-origin"] == "*", r.request
        assert "access-control-allow-credentials" not in r.headers
    release = httpx.options(service.url + "/id/project/akke-turku.ttl", headers={
        **origin, "Access-Control-Request-Method": "GET"})
    assert release.status_code == 204 and "POST" not in release.headers["access-control-allow-methods"]


def test_cors_for_named_origins_only(open_service) -> None:
    mine = HTTP.get(open_service.url + "/sparql", params={"query": "ASK {}"},
                     headers={"Origin": EDITOR, **JSON})
    assert mine.headers["access-control-allow-origin"] == EDITOR
    assert "Origin" in mine.headers["vary"] and "Accept" in mine.headers["vary"]
    other = HTTP.get(open_service.url + "/sparql", params={"query": "ASK {}"},
                      headers={"Origin": "https://evil.example", **JSON})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    assert "Origin" in other.headers["vary"]
    pre = httpx.options(open_service.url + "/sparql", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and "access-control-allow-methods" not in pre.headers


def test_sparql_answers_vary_on_accept(service) -> None:
    for r in (HTTP.get(service.url + "/sparql", params={"query": "ASK {}"}, headers=JSON),
              HTTP.post(service.url + "/sparql", data={"query": "ASK {}"}),
              HTTP.get(service.url + "/sparql", params={"query": "nonsense"}),
              HTTP.get(service.url + "/sparql", headers={"Accept": "text/turtle"})):
        assert "Accept" in r.headers["vary"], r.request


@pytest.mark.parametrize("content_type,body", [
    ("application/sparql-query", COUNT.encode()),
    ("application/x-www-form-urlencoded", b"query=" + COUNT.replace(" ", "+").encode()),
])
def test_chunked_post_bodies(service, validated: LoadedGraph, content_type: str, body: bytes) -> None:
    def pieces() -> Iterator[bytes]:      # no length known: httpx sends it chunked
        for i in range(0, len(body), 7):
            yield body[i:i + 7]

    r = HTTP.post(service.url + "/sparql", content=pieces(),
                   headers={"Content-Type": content_type, **JSON})
    assert r.request.headers.get("transfer-encoding") == "chunked"
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(validated.store)


@pytest.mark.parametrize("accept,query", [
    ("text/turtle", "CONSTRUCT WHERE { ?s ?p ?o }"),
    ("application/n-triples", "CONSTRUCT WHERE { ?s ?p ?o }"),
    ("application/rdf+xml", "CONSTRUCT WHERE { ?s ?p ?o }"),
    ("application/ld+json", "CONSTRUCT WHERE { ?s ?p ?o }"),
    ("text/csv", "SELECT ?o WHERE { ?s ?p ?o }"),
    ("text/tab-separated-values", "SELECT ?o WHERE { ?s ?p ?o }"),
    ("application/sparql-results+json", "SELECT ?o WHERE { ?s ?p ?o }"),
    ("application/sparql-results+xml", "SELECT ?o WHERE { ?s ?p ?o }"),
])
def test_text_answers_name_their_charset(patient_service, accept: str, query: str) -> None:
    r = HTTP.get(patient_service.url + "/sparql", params={"query": query},
                  headers={"Accept": accept}, timeout=600)
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{accept}; charset=utf-8"
    assert "Työ- ja elinkeinoministeriö" in r.text     # decoded as the header says


def test_csv_is_the_engines_csv(service, validated: LoadedGraph) -> None:
    """CSV is asked of Oxigraph as TSV (which can be checked) and written here: the same CSV
    that Oxigraph writes itself."""
    query = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } "
             "ORDER BY ?s ?p ?o")
    engine = ox.Store()   # Oxigraph's own writer, on the same quads
    engine.extend(validated.store.quads())
    for accept in ("text/csv", "text/plain", "text/csv;q=0.9, application/xml;q=0.1"):
        r = HTTP.get(service.url + "/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
        local = engine.query(query, use_default_graph_as_union=True)
        assert r.content == local.serialize(format=ox.QueryResultsFormat.CSV)
    ask = HTTP.get(service.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert ask.status_code == 200 and ask.text == "true"


def test_only_complete_answers_are_cached(service) -> None:
    """A refused or failed query leaves nothing in the cache; an answered one is kept."""
    before = len(service.httpd.cache)
    HTTP.get(service.url + "/sparql", params={"query": "nonsense"}, headers=JSON)
    HTTP.get(service.url + "/sparql", params={"query": "SELECT * { SERVICE <urn:x> {} }"})
    assert len(service.httpd.cache) == before
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?o } # cached"
    HTTP.get(service.url + "/sparql", params={"query": query}, headers=JSON)
    assert len(service.httpd.cache) == before + 1
