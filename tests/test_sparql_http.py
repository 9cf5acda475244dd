"""The one timeout-and-retry policy (akke_graph.sparql_http), table-driven on a fake clock: how
many attempts, which waits (doubling, capped, a server's Retry-After), the total deadline, and
which answers are retried — by the loop itself, by the httpx client and by the SPARQLWrapper
client against a loopback stand-in that answers as scripted. Nothing here waits for real: the
clock and its sleep are fakes, and no test asserts a duration."""

from __future__ import annotations

import http.server
import select
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pytest

from akke_graph.errors import EndpointError, RegistryError
from akke_graph.oxigraph_server import free_port
from akke_graph.sparql_http import Attempt, Clock, Failing, GaveUp, HttpPolicy, RateLimiter, Retry, retrying
from akke_graph.sparql_http.client import HttpClient
from akke_graph.sparql_http.query import post_query



class FakeClock:
    """Time that passes only when slept or spent on purpose."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds

    @property
    def clock(self) -> Clock:
        return Clock(now=self.time, sleep=self.sleep)


# --- the loop --------------------------------------------------------------------------------

@dataclass
class LoopCase:
    """Each attempt takes ``cost`` fake seconds (at most its timeout), then does what ``outcomes`` says in turn:
    "ok", "retry", "retry-after:S" (the service asks for S seconds) or "refuse" (not retried)."""

    name: str
    policy: HttpPolicy
    outcomes: list[str]
    attempts: int
    slept: list[float]
    result: str                 # "ok", "gave-up", "out-of-time" or "refused"
    cost: float = 0.0
    timeouts: list[float] = field(default_factory=list)   # the timeouts the attempts were given


LOOP = [
    LoopCase("first try", HttpPolicy(retries=3), ["ok"], 1, [], "ok"),
    LoopCase("two failures then ok", HttpPolicy(retries=3, backoff=0.5), ["retry", "retry", "ok"],
             3, [0.5, 1.0], "ok"),
    LoopCase("retries spent", HttpPolicy(retries=2, backoff=0.25), ["retry"] * 5, 3, [0.25, 0.5],
             "gave-up"),
    LoopCase("no retries", HttpPolicy(retries=0), ["retry"], 1, [], "gave-up"),
    LoopCase("backoff capped", HttpPolicy(retries=5, backoff=1.0, max_backoff=3.0, deadline=1e6),
             ["retry"] * 6, 6, [1.0, 2.0, 3.0, 3.0, 3.0], "gave-up"),
    LoopCase("zero backoff", HttpPolicy(retries=2, backoff=0), ["retry"] * 3, 3, [0.0, 0.0], "gave-up"),
    LoopCase("4xx not retried", HttpPolicy(retries=3), ["refuse", "ok"], 1, [], "refused"),
    LoopCase("retry-after honoured", HttpPolicy(retries=2, backoff=0.5), ["retry-after:7", "ok"],
             2, [7.0], "ok"),
    LoopCase("retry-after capped", HttpPolicy(retries=2, max_backoff=10), ["retry-after:3600", "ok"],
             2, [10.0], "ok"),
    # 20 retries that double from 1 s would wait about 12 days; the deadline ends them in a minute
    LoopCase("deadline ends doubling", HttpPolicy(retries=20, backoff=1.0, max_backoff=1e6, deadline=60),
             ["retry"] * 21, 6, [1.0, 2.0, 4.0, 8.0, 16.0], "out-of-time"),
    LoopCase("deadline counts the attempts' time", HttpPolicy(timeout=30, retries=9, backoff=1.0, deadline=100),
             ["retry"] * 10, 5, [1.0, 2.0, 4.0, 8.0], "out-of-time", cost=20.0,
             timeouts=[30.0, 30.0, 30.0, 30.0, 5.0]),
    LoopCase("last attempt gets the time left", HttpPolicy(timeout=30, retries=3, backoff=5.0, deadline=50),
             ["retry", "ok"], 2, [5.0], "ok", cost=30.0, timeouts=[30.0, 15.0]),
]


@pytest.mark.parametrize("case", LOOP, ids=[c.name for c in LOOP])
def test_the_retry_loop(case: LoopCase) -> None:
    fake = FakeClock()
    outcomes = iter(case.outcomes)
    seen: list[Attempt] = []

    def attempt(now: Attempt) -> str:
        seen.append(now)
        fake.now += min(case.cost, now.timeout)   # an attempt ends by its timeout
        outcome = next(outcomes)
        if outcome == "refuse":
            raise EndpointError("refused")
        if outcome.startswith("retry-after:"):
            raise Retry("busy", retry_after=float(outcome.split(":")[1]))
        if outcome == "retry":
            raise Retry(f"failure {now.number}")
        return "ok"

    def give_up(gave: GaveUp) -> Exception:
        return RegistryError(f"{'out-of-time' if gave.out_of_time else 'gave-up'} after "
                             f"{gave.attempts}: {gave.reason}")

    try:
        result = retrying(attempt, case.policy, give_up, clock=fake.clock)
    except RegistryError as exc:
        result = str(exc).split(" ", 1)[0]
        assert f"after {case.attempts}: failure {case.attempts}" in str(exc)
    except EndpointError:
        result = "refused"
    assert result == case.result
    assert [a.number for a in seen] == list(range(1, case.attempts + 1))
    assert fake.slept == case.slept
    if case.timeouts:
        assert [a.timeout for a in seen] == case.timeouts


@pytest.mark.parametrize("cost", [0.0, 0.3, 7.0, 29.0, 60.0])
def test_the_deadline_bounds_all_attempts_and_waits(cost: float) -> None:
    """Whatever the attempts cost (each at most its timeout), all end by the deadline."""
    fake = FakeClock()
    start = fake.now

    def attempt(now: Attempt) -> None:
        fake.now += min(cost, now.timeout)
        raise Retry("no")

    with pytest.raises(RegistryError):
        retrying(attempt, HttpPolicy(timeout=30, retries=20, backoff=0.5, deadline=45),
                 lambda gave: RegistryError(str(gave.reason)), clock=fake.clock)
    assert fake.now - start <= 45 + 1e-9


@pytest.mark.parametrize("fields", [dict(timeout=0), dict(timeout=float("inf")), dict(deadline=float("nan")),
                                    dict(backoff=-1), dict(retries=-1), dict(max_backoff=float("inf"))])
def test_a_policy_refuses_nonsense(fields: dict) -> None:
    with pytest.raises(ValueError):
        HttpPolicy(**fields)


def test_rate_limiter_spaces_requests() -> None:
    fake = FakeClock()
    limiter = RateLimiter(0.5, fake.clock)
    for _ in range(3):
        limiter.wait()
    assert fake.slept == [0.5, 0.5]
    fake.now += 10
    limiter.wait()
    assert fake.slept == [0.5, 0.5]  # no wait after a pause


# --- the clients against a scripted stand-in --------------------------------------------------

class Script:
    """What the stand-in does for each request in turn: ``(status, body, headers)`` or "cut"
    (close the connection without an answer); the last step repeats."""

    def __init__(self, *steps: tuple[int, str, dict[str, str]] | str) -> None:
        self.steps = list(steps)
        self.requests = 0

    def next(self) -> tuple[int, str, dict[str, str]] | str:
        self.requests += 1
        return self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]


@pytest.fixture()
def stand_in() -> Iterator[Callable[[Script], str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(script: Script) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                step = script.next()
                if step == "cut":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                status, body, headers = step
                data = body.encode()
                self.send_response(status)
                for key, value in {"Content-Type": "application/sparql-results+json", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = answer

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


OK = (200, '{"head": {"vars": []}, "results": {"bindings": []}}', {})


@dataclass
class WireCase:
    name: str
    script: Script | None          # None: nothing listens on the port
    requests: int                   # how many reached the stand-in
    message: str | None             # a phrase of the error, or None for success
    slept: list[float] = field(default_factory=list)


def wire_cases() -> list[WireCase]:
    return [
        WireCase("200", Script(OK), 1, None),
        WireCase("400 not retried", Script((400, "Parse error near line 3", {}), OK), 1,
                 "answered HTTP 400 Bad Request: Parse error near line 3"),
        WireCase("401 not retried", Script((401, "", {}), OK), 1, "HTTP 401 Unauthorized"),
        WireCase("404 not retried", Script((404, "no", {}), OK), 1, "HTTP 404 Not Found"),
        WireCase("500 retried, then ok", Script((500, "boom", {}), OK), 2, None, [0.5]),
        WireCase("503 always", Script((503, "busy", {})), 3,
                 "HTTP 503 Service Unavailable: busy; gave up after 3 attempts", [0.5, 1.0]),
        WireCase("429 with Retry-After", Script((429, "", {"Retry-After": "4"}), OK), 2, None, [4.0]),
        WireCase("cut connection retried", Script("cut", OK), 2, None, [0.5]),
        WireCase("refused connection retried", None, 0, "cannot be reached", [0.5, 1.0]),
    ]


POLICY = HttpPolicy(timeout=10, retries=2, backoff=0.5)


@pytest.mark.parametrize("case", wire_cases(), ids=lambda c: c.name)
def test_httpx_client_retries_what_may_pass(case: WireCase, stand_in) -> None:
    url = stand_in(case.script) if case.script else f"http://127.0.0.1:{free_port()}/query"
    fake = FakeClock()
    with HttpClient(POLICY, clock=fake.clock) as client:
        if case.message is None:
            assert client.send("POST", url, what="asking").status_code == 200
        else:
            with pytest.raises(EndpointError) as raised:
                client.send("POST", url, what="asking")
            assert case.message in str(raised.value)
            assert str(raised.value).startswith(f"asking: POST {url}")
    assert (case.script.requests if case.script else 0) == case.requests
    assert fake.slept == case.slept


@pytest.mark.parametrize("case", wire_cases(), ids=lambda c: c.name)
def test_sparqlwrapper_client_retries_what_may_pass(case: WireCase, stand_in) -> None:
    url = stand_in(case.script) if case.script else f"http://127.0.0.1:{free_port()}/query"
    fake = FakeClock()
    failing = Failing("query x", url, RegistryError)
    if case.message is None:
        assert b"bindings" in post_query(url, "ASK {}", failing, policy=POLICY, clock=fake.clock).body
    else:
        with pytest.raises(RegistryError) as raised:
            post_query(url, "ASK {}", failing, policy=POLICY, clock=fake.clock)
        assert case.message.split(":")[0] in str(raised.value)
        assert str(raised.value).startswith(f"query x: {url}")
    assert (case.script.requests if case.script else 0) == case.requests
    assert fake.slept == case.slept


def test_messages_in_finnish(stand_in) -> None:
    url = stand_in(Script((503, "busy", {})))
    with pytest.raises(EndpointError) as raised, HttpClient(POLICY, clock=FakeClock().clock) as client:
        client.send("POST", url, what="asking")
    assert "luovuttiin 3 yrityksen jälkeen" in raised.value.render("fi")
    assert "gave up after 3 attempts" in raised.value.render("en") == str(raised.value)


# --- a timeout bounds the whole request ---------------------------------------------------------

class Trickler:
    """A loopback server that answers every request a byte at a time, for ever: in the status
    line and headers ("headers"), or in an endless body ("body"), or that reads the request
    body a byte at a time and never answers ("slow-read"). The bytes come every 10 ms, far
    faster than any timeout the tests give (which stay long enough for a busy machine's client
    to connect at all), so no wait for bytes ever times out: only a timeout
    on the whole request can end one (the slow reader reads at full speed once the client has
    given up, what was still in flight, up to the client's hang-up). Each connection's
    ``closed`` event is set when the client hung up; ``accepted`` when one was accepted."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.connections: list[threading.Event] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/query"
        self.stopped = threading.Event()
        self.drain = threading.Event()
        self.accepted = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            closed = threading.Event()
            self.connections.append(closed)
            self.accepted.set()
            threading.Thread(target=self._trickle, args=(conn, closed), daemon=True).start()

    def _trickle(self, conn: socket.socket, closed: threading.Event) -> None:
        hung_up = select.poll()   # the client's FIN shows even while its bytes wait unread
        hung_up.register(conn, select.POLLRDHUP | select.POLLHUP | select.POLLERR)
        try:
            with conn:
                if self.mode != "slow-read":
                    conn.recv(1 << 16)
                    head = b"HTTP/1.1 200 OK\r\n"
                    conn.sendall(head + (b"Content-Type: application/sparql-results+json\r\n\r\n"
                                         if self.mode == "body" else b"X-Trickle: "))
                while not self.stopped.is_set() and not hung_up.poll(0 if self.draining else 10):
                    if self.mode != "slow-read":
                        conn.sendall(b" ")
                    elif not self.drain.is_set():
                        conn.recv(1)
                    elif not conn.recv(1 << 16):   # what the client sent before it hung up
                        break
        except OSError:   # the client closed: sends fail
            pass
        finally:
            closed.set()

    @property
    def draining(self) -> bool:
        """A slow reader reading what is in flight: each read waits for bytes or the hang-up."""
        return self.mode == "slow-read" and self.drain.is_set()

    def all_closed(self) -> bool:
        """Whether a connection was made and every one was closed by the client (waiting on
        each event; the bound is only against a test that would hang). A slow reader first
        reads at full speed what is still in flight: the client's hang-up comes after it."""
        self.drain.set()
        return self.accepted.wait(120) and all(c.wait(120) for c in self.connections)

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()


@pytest.fixture()
def trickler() -> Iterator[Callable[[str], Trickler]]:
    made: list[Trickler] = []

    def make(mode: str) -> Trickler:
        made.append(Trickler(mode))
        return made[-1]

    yield make
    for t in made:
        t.close()


def httpx_client(url: str, policy: HttpPolicy) -> None:
    with HttpClient(policy) as client:
        client.send("POST", url, what="asking", content=b"x" * (8 << 20))   # more than socket buffers hold


def sparqlwrapper_client(url: str, policy: HttpPolicy) -> None:
    post_query(url, "ASK {}" + " " * (8 << 20), Failing("asking", url), policy=policy)


CLIENTS = {"httpx": httpx_client, "sparqlwrapper": sparqlwrapper_client}


@pytest.mark.parametrize("mode", ["headers", "body", "slow-read"])
@pytest.mark.parametrize("client", list(CLIENTS))
def test_a_timeout_bounds_the_whole_request(trickler, client: str, mode: str) -> None:
    server = trickler(mode)
    with pytest.raises(EndpointError) as raised:
        CLIENTS[client](server.url, HttpPolicy(timeout=1, retries=0))
    assert "did not answer within 1 s (timeout)" in str(raised.value)
    assert server.all_closed() and len(server.connections) == 1


@pytest.mark.parametrize("client", list(CLIENTS))
def test_retries_end_by_the_deadline(trickler, client: str) -> None:
    """Twenty retries of attempts that would each go on for ever: the deadline ends them all,
    and every connection is closed by the client."""
    server = trickler("body")
    with pytest.raises(EndpointError) as raised:
        CLIENTS[client](server.url, HttpPolicy(timeout=0.5, retries=20, backoff=0.1, deadline=2))
    assert "the 2 s allowed for retries are up" in str(raised.value)
    assert "(timeout)" in str(raised.value)
    assert server.all_closed() and 1 <= len(server.connections) < 21


@pytest.mark.parametrize("command", ["push", "query"])
def test_cli_timeout_bounds_the_whole_request(trickler, cli, seed_project: Path, command: str) -> None:
    """On the seed project: what is pushed or asked does not matter to the timeout."""
    server = trickler("body")
    args = {"push": ["push", "--endpoint", server.url],
            "query": ["query", "--file", str(seed_project / "queries" / "organisations.rq"),
                      "--endpoint", server.url]}[command]
    result = cli(*args, "--timeout", "1", "--retries", "0", project=seed_project)
    assert result.exit_code == 2, result.output
    assert "did not answer within 1 s (timeout)" in result.output
    assert f"127.0.0.1:{server.url.split(':')[2]}" in result.output
    assert "Traceback" not in result.output
    assert server.all_closed()
