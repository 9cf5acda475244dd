"""The command line's edge: every option value is parsed once, a bad one is a usage error (exit 2)
with click's message and no traceback, the environment variables are declared on the options
(so ``--help`` shows them), and ``--lang`` (every command has it) also sets the language of the
error messages."""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pytest

from akke_graph.cli import COMMANDS
from akke_graph.errors import MESSAGES
from akke_graph.oxigraph_server import free_port

ROOT = Path(__file__).resolve().parents[1]
A_FILE = str(ROOT / "pyproject.toml")


@pytest.fixture()
def run(cli):
    """The shared runner with ``AKKE_GRAPH_LANG`` emptied, not set: a test names the language it
    means (``--lang`` or ``env``), else the locale's applies."""
    return lambda *args, env=None: cli(*args, lang=None, env={"AKKE_GRAPH_LANG": "", **(env or {})})


# (command line, a phrase of the message): each must exit 2 before anything is loaded or sent
BAD_OPTIONS: list[tuple[list[str], str]] = [
    (["--project", "/no/such/folder", "validate"], "does not exist"),
    (["validate", "--store", "sqlite"], "unknown store 'sqlite'"),
    (["validate", "--store", "memory:x"], "unknown store"),
    (["validate", "--store", f"oxigraph:{A_FILE}"], "is a file"),
    (["validate", "--store", f"oxigraph:{A_FILE}/below"], "cannot be made"),
    (["validate", "--lang", "sv"], "not a language of the messages"),
    (["validate", "--engine", "jena"], "Invalid value for '--engine'"),
    (["query", "organisations", "--timeout", "nan"], "not a finite number"),
    (["query", "organisations", "--timeout", "inf"], "not a finite number"),
    (["query", "organisations", "--timeout", "1e308"], "out of range"),
    (["query", "organisations", "--timeout", "0"], "out of range"),
    (["query", "organisations", "--timeout", "soon"], "not a number of seconds"),
    (["query", "organisations", "--retries", "-1"], "Invalid value for '--retries'"),
    (["query", "organisations", "--retries", "21"], "Invalid value for '--retries'"),
    (["query", "organisations", "--backoff", "-0.5"], "out of range"),
    (["query", "organisations", "--deadline", "nan"], "not a finite number"),
    (["query", "organisations", "--endpoint", "ftp://example.org/q"], "not an http(s) URL"),
    (["query", "organisations", "--endpoint", "http://example.org/a b"], "white space"),
    (["query", "organisations", "--endpoint", "http://h:port/q"], "not an http(s) URL"),
    (["query", "organisations", "--endpoint", "http://user:secret@127.0.0.1:1/q"], "credentials in the URL"),
    (["query", "organisations", "--store", "oxigraph:"], "unknown store"),
    (["query", "organisations", "--lang", "de"], "not a language"),
    (["publish", "--source-date-epoch", "yesterday"], "Invalid value for '--source-date-epoch'"),
    (["publish", "--source-date-epoch", "-1"], "Invalid value for '--source-date-epoch'"),
    (["publish", "--store", "disk"], "unknown store"),
    (["publish", "--lang", "se"], "not a language"),
    (["diff", A_FILE, "/no/such/release"], "does not exist"),
    (["diff", A_FILE, A_FILE, "--lang", "xx"], "not a language"),
    (["serve", "--timeout", "nan"], "not a finite number"),
    (["serve", "--grace", "-1"], "out of range"),
    (["serve", "--port", "70000"], "Invalid value for '--port'"),
    (["serve", "--store", "store-folder"], "--store-dir"),   # renamed: click suggests the new name
    (["serve", "--store-dir", A_FILE], "is a file"),
    (["serve", "--lang", "no"], "not a language"),
    (["push"], "Missing option '--endpoint'"),
    (["push", "--endpoint", "127.0.0.1:7878/query"], "not an http(s) URL"),
    (["push", "--endpoint", "http://127.0.0.1:1/query", "--gsp", "ftp://x/store"], "not an http(s) URL"),
    (["push", "--endpoint", "http://127.0.0.1:1/query", "--update", "http://"], "not an http(s) URL"),
    (["push", "--endpoint", "http://akke:secret@127.0.0.1:1/query"], "credentials in the URL"),
    (["push", "--endpoint", "http://127.0.0.1:1/query", "--timeout", "-inf"], "not a finite number"),
    (["push", "--endpoint", "http://127.0.0.1:1/query", "--retries", "99"], "Invalid value for '--retries'"),
    (["push", "--endpoint", "http://127.0.0.1:1/query", "--deadline", "1e12"], "out of range"),
    (["push", "--endpoint", "http://127.0.0.1:1/query", "--password", "x"], "No such option"),
    (["push", "--endpoint", "http://127.0.0.1:1/query", "--lang", "ru"], "not a language"),
    (["link", "suggest", "--registry", "prh"], "Invalid value for '--registry'"),
    (["link", "suggest", "--registry", "ytj", "--api", "ftp://x"], "not an http(s) URL"),
    (["link", "suggest", "--registry", "wikidata", "--endpoint", "wikidata"], "not an http(s) URL"),
    (["link", "suggest", "--registry", "wikidata", "--business-id-property", "Q5"], "not a Wikidata property ID"),
    (["link", "suggest", "--registry", "ytj", "--min-interval", "-1"], "out of range"),
    (["link", "suggest", "--registry", "ytj", "--per-entity", "0"], "Invalid value for '--per-entity'"),
    (["link", "accept", A_FILE, "--min-confidence", "2"], "Invalid value for '--min-confidence'"),
    (["link", "accept", A_FILE, "--store", "x"], "unknown store"),
    (["link", "check", "--online", "--timeout", "1e308"], "out of range"),
    (["link", "check", "--lang", "English"], "not a language"),
    (["import", "card", A_FILE, "--source", "hankkeet/testi"], "not an http(s) URL"),
    (["import", "card", A_FILE, "--source", "https://example.org/", "--card-lang", "sv"],
     "Invalid value for '--card-lang'"),
    (["import", "table", A_FILE, "--format", "xml"], "Invalid value for '--format'"),
    (["import", "table", A_FILE, "--lang", "swedish"], "not a language"),
]


@pytest.mark.parametrize("args, phrase", BAD_OPTIONS, ids=[" ".join(a)[:60] for a, _ in BAD_OPTIONS])
def test_a_bad_option_value_is_a_usage_error(args: list[str], phrase: str, run) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert phrase in result.output, result.output
    assert "Traceback" not in result.output   # and no exception escaped: the runner fails the test on one
    assert "secret" not in result.output


def test_every_command_is_in_the_table() -> None:
    assert {args[0] if args[0] != "--project" else args[2] for args, _ in BAD_OPTIONS} == set(COMMANDS)


@pytest.mark.parametrize("variable, value, command", [
    ("AKKE_GRAPH_LANG", "de", ["validate"]),
    ("AKKE_HTTP_TIMEOUT", "nan", ["query", "organisations", "--endpoint", "http://127.0.0.1:1/q"]),
    ("AKKE_HTTP_RETRIES", "many", ["push", "--endpoint", "http://127.0.0.1:1/query"]),
    ("AKKE_HTTP_DEADLINE", "0", ["push", "--endpoint", "http://127.0.0.1:1/query"]),
    ("AKKE_PRH_API", "avoindata.prh.fi", ["link", "suggest", "--registry", "ytj"]),
    ("SOURCE_DATE_EPOCH", "last tuesday", ["publish"]),
])
def test_a_bad_environment_value_is_a_usage_error_naming_the_variable(variable: str, value: str,
                                                                     command: list[str], run) -> None:
    result = run(*command, env={variable: value})
    assert result.exit_code == 2 and variable in result.output, result.output


COMMAND_LINES = [["validate"], ["query"], ["publish"], ["diff"], ["serve"], ["push"],
                 ["link", "suggest"], ["link", "accept"], ["link", "check"],
                 ["import", "card"], ["import", "table"]]
ENVIRONMENT = {  # the variables each command's --help must show
    "query": ["AKKE_HTTP_TIMEOUT", "AKKE_HTTP_RETRIES", "AKKE_HTTP_BACKOFF", "AKKE_HTTP_DEADLINE"],
    "push": ["AKKE_HTTP_TIMEOUT", "AKKE_HTTP_RETRIES", "AKKE_HTTP_BACKOFF", "AKKE_HTTP_DEADLINE",
             "AKKE_GRAPH_PASSWORD"],
    "publish": ["SOURCE_DATE_EPOCH"],
    "link suggest": ["AKKE_PRH_API", "AKKE_WIKIDATA_ENDPOINT", "AKKE_WIKIDATA_BUSINESS_ID_PROPERTY",
                     "AKKE_HTTP_MIN_INTERVAL"],
    "link check": ["AKKE_PRH_API", "AKKE_WIKIDATA_ENDPOINT", "AKKE_HTTP_MIN_INTERVAL"],
}


@pytest.mark.parametrize("command", COMMAND_LINES, ids=" ".join)
def test_help_shows_lang_and_the_environment(command: list[str], run) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "--lang" in result.output and "AKKE_GRAPH_LANG" in result.output
    for variable in ENVIRONMENT.get(" ".join(command), []):
        assert variable in result.output, variable


def test_top_level_help_shows_the_project_variable(run) -> None:
    assert "AKKE_GRAPH_PROJECT" in run("--help").output


def test_no_library_module_reads_the_environment() -> None:
    """Settings reach the library as values; the few reads left are named here, with why."""
    allowed = {
        "akke_graph/commands/options.py",    # the locale, for the default of --lang
        "akke_graph/commands/push.py",       # the password, never an option
        "akke_graph/publish/release.py",     # the interruption tests' pause hook
        "akke_graph/oxigraph_server.py",     # hands the environment on to the Oxigraph child
    }
    readers = {p.relative_to(ROOT).as_posix() for p in (ROOT / "akke_graph").rglob("*.py")
               if re.search(r"os\.environ|getenv\(", p.read_text(encoding="utf-8"))}
    assert readers <= allowed, readers - allowed


# --- error messages in the command's language --------------------------------------------------

def test_every_message_has_both_languages_with_the_same_fields() -> None:
    fields = string.Formatter()
    for key, (english, finnish) in MESSAGES.items():
        assert english and finnish, key
        names = [{f for _, f, _, _ in fields.parse(text) if f} for text in (english, finnish)]
        assert names[0] == names[1], key


def test_missing_file_in_finnish_and_english(run) -> None:
    finnish = run("validate", "no/such/file.ttl", "--lang", "fi")
    assert finnish.exit_code == 2
    assert "no/such/file.ttl: tiedostoa tai kansiota ei ole" in finnish.output
    assert "tarkista polku" in finnish.output
    english = run("validate", "no/such/file.ttl", env={"AKKE_GRAPH_LANG": "en"})
    assert "no/such/file.ttl: no such file or folder" in english.output


def test_the_language_comes_from_the_environment_too(run) -> None:
    result = run("query", "--file", "x.rq", "organisations", env={"AKKE_GRAPH_LANG": "fi_FI.UTF-8"})
    assert result.exit_code == 2 and "anna joko kyselyn NIMI tai --file" in result.output


def test_unreachable_endpoint_in_finnish(run) -> None:
    result = run("query", "organisations", "--endpoint", f"http://127.0.0.1:{free_port()}/query",
                 "--retries", "1", "--backoff", "0", "--lang", "fi")
    assert result.exit_code == 2, result.output
    assert "kysely organisations" in result.output and "ei saada yhteyttä" in result.output
    assert "luovuttiin 2 yrityksen jälkeen" in result.output and "tarkista osoite" in result.output


def test_no_project_in_finnish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AKKE_GRAPH_PROJECT", raising=False)
    result = run("validate", "--lang", "fi")
    assert result.exit_code == 2 and "akke-graph-projektia ei löydy" in result.output


def test_nonconformant_graph_in_finnish(tmp_path: Path, run) -> None:
    """push refuses a graph that does not conform before it sends anything; message and report
    in Finnish."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "tests/cases/invalid/agreement-one-party.ttl", tmp_path / "data")
    result = run("--project", str(tmp_path), "push", "--endpoint", f"http://127.0.0.1:{free_port()}/query",
                 "--lang", "fi")
    assert result.exit_code == 1, result.output
    assert "tietoverkko ei ole kelvollinen" in result.output
    assert "the graph does not conform" not in result.output
