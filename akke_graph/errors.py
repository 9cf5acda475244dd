"""Every error a user can see, as an exception carrying a message written for that user.

The command line turns these into a message and an exit code once, at the command boundary
(``cli.py``); library callers catch them like any other exception. A message is plain English
text, or a :class:`Text`: a key into :data:`MESSAGES`, which holds the English and Finnish forms
of the messages users meet most, and the values to fill in. ``str(error)`` is English;
``error.render("fi")`` is Finnish where the table has it, else English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol, Union

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_ERROR = 2
LANGS = ("fi", "en")

# key: (English, Finnish). Fields in braces are filled in from the Text; a field that is itself
# a Text is rendered in the same language.
MESSAGES: dict[str, tuple[str, str]] = {
    "located": ("{where}: {message}", "{where}: {message}"),
    "interrupted": ("interrupted", "keskeytetty"),
    # configuration and files
    "no-project": ("no akke-graph project found at or above {folder}",
                   "akke-graph-projektia ei löydy kansiosta {folder} eikä sen yläkansioista"),
    "no-project.hint": ("run the command inside the project folder, or pass --project DIR (or set "
                        "{env})", "aja komento projektikansiossa tai anna --project KANSIO (tai "
                                  "aseta {env})"),
    "no-such-file": ("no such file or folder", "tiedostoa tai kansiota ei ole"),
    "no-such-file.hint": ("check the path; give Turtle files or folders holding them",
                          "tarkista polku; anna Turtle-tiedostoja tai niitä sisältäviä kansioita"),
    "unknown-file-type": ("unknown file type {suffix!r}", "tuntematon tiedostotyyppi {suffix!r}"),
    "unknown-file-type.hint": ("use one of {suffixes}", "käytä jotakin näistä: {suffixes}"),
    "unreadable-file": ("cannot read the file: {reason}", "tiedostoa ei voi lukea: {reason}"),
    "not-utf8": ("the file is not UTF-8 text", "tiedosto ei ole UTF-8-tekstiä"),
    "not-utf8.hint": ("save it as UTF-8", "tallenna se UTF-8-muodossa"),
    "syntax-error": ("syntax error: {detail}", "syntaksivirhe: {detail}"),
    "syntax-error.hint": ("fix the syntax at that line (a missing '.', ';', quote or @prefix is "
                          "typical)", "korjaa syntaksi tällä rivillä (usein puuttuu '.', ';', "
                                      "lainausmerkki tai @prefix)"),
    # validation
    "nonconformant": ("the graph does not conform to the shapes: nothing is published, pushed or "
                      "served", "tietoverkko ei ole kelvollinen: mitään ei julkaista, siirretä eikä "
                                "jaeta"),
    # options that only the command can check
    "query-name-and-file": ("give either a query NAME or --file, not both",
                            "anna joko kyselyn NIMI tai --file, ei molempia"),
    "query-store-and-endpoint": ("--store and --endpoint exclude each other",
                                 "--store ja --endpoint sulkevat toisensa pois"),
    "query-store-and-endpoint.hint": ("--endpoint runs the query remotely; --store picks the "
                                      "embedded store", "--endpoint ajaa kyselyn etäpalvelussa; "
                                                        "--store valitsee sisäisen tietovaraston"),
    "query-missing": ("name the query to run, or give your own with --file my.rq",
                      "nimeä ajettava kysely tai anna oma kyselysi: --file oma.rq"),
    "query-missing.hint": ("akke-graph query --list shows the canned queries",
                           "akke-graph query --list näyttää valmiit kyselyt"),
    "param-syntax": ("--param needs KEY=VALUE, got {item!r}",
                     "--param tarvitsee muodon AVAIN=ARVO, annettiin {item!r}"),
    "param-syntax.hint": ("for example --param project=project:akke-turku",
                          "esimerkiksi --param project=project:akke-turku"),
    "param-twice": ("the parameter {key!r} is given twice", "parametri {key!r} on annettu kahdesti"),
    "format-mismatch": ("--format {format} does not fit a {kind} query",
                        "--format {format} ei sovi {kind}-kyselyyn"),
    "format-mismatch.hint": ("use ttl, nt, jsonld or table for CONSTRUCT; table, csv, tsv, json or "
                             "xml for SELECT and ASK",
                             "CONSTRUCT: ttl, nt, jsonld tai table; SELECT ja ASK: table, csv, tsv, "
                             "json tai xml"),
    "password-missing": ("--user {user} is given but {env} is not set",
                         "--user {user} on annettu, mutta {env} puuttuu"),
    "password-missing.hint": ("export {env}=... (the password is read only from the environment, "
                              "never from an option)",
                              "export {env}=... (salasana luetaan vain ympäristömuuttujasta, ei "
                              "koskaan valitsimesta)"),
    # remote services (akke_graph.sparql_http)
    "http-gave-up": ("{what}: {where}: {problem}; gave up after {attempts} attempts",
                     "{what}: {where}: {problem}; luovuttiin {attempts} yrityksen jälkeen"),
    "http-gave-up-once": ("{what}: {where}: {problem}; no retry",
                          "{what}: {where}: {problem}; ei uusintayritystä"),
    "http-out-of-time": ("{what}: {where}: {problem}; gave up after {attempts} attempts: the "
                         "{deadline:g} s allowed for retries are up",
                         "{what}: {where}: {problem}; luovuttiin {attempts} yrityksen jälkeen: "
                         "uusintayrityksille annettu aika ({deadline:g} s) loppui"),
    "http-refused": ("{what}: {where} answered HTTP {status} {phrase}{detail}",
                     "{what}: {where} vastasi HTTP {status} {phrase}{detail}"),
    "http-unreachable": ("cannot be reached ({reason})", "ei saada yhteyttä ({reason})"),
    "http-timeout": ("did not answer within {seconds:g} s (timeout)",
                     "ei vastannut {seconds:g} sekunnissa (aikakatkaisu)"),
    "http-broken": ("the connection broke ({reason})", "yhteys katkesi ({reason})"),
    "http-status": ("answered HTTP {status} {phrase}{detail}", "vastasi HTTP {status} {phrase}{detail}"),
    "http-unreachable.hint": ("check the URL and that the server is running",
                              "tarkista osoite ja että palvelin on käynnissä"),
    "http-timeout.hint": ("try again later or give a longer --timeout",
                          "yritä myöhemmin uudelleen tai anna pidempi --timeout"),
    "http-auth.hint": ("check the user name and the password", "tarkista käyttäjätunnus ja salasana"),
    "http-not-json": ("{what}: {where} did not answer with SPARQL JSON results",
                      "{what}: {where} ei vastannut SPARQL JSON -tuloksilla"),
    "http-not-json.hint": ("is the URL the SPARQL query endpoint itself?",
                           "onko osoite itse SPARQL-kyselypalvelu?"),
    "query-what": ("query {name}", "kysely {name}"),
    "query-400.hint": ("the endpoint may not support a feature the query uses",
                       "palvelu ei ehkä tue jotakin kyselyn ominaisuutta"),
    "query-404.hint": ("check the URL; an Oxigraph server answers at /query",
                       "tarkista osoite; Oxigraph-palvelin vastaa polussa /query"),
    "push-auth.hint": ("check --user and the password in {env}",
                       "tarkista --user ja salasana muuttujassa {env}"),
    "push-state": ("{error}\n  {state}", "{error}\n  {state}"),
    "push-state-direct": ("the graphs were empty before, and each was loaded in one request "
                          "committed whole: each is either still empty or complete; push again to "
                          "load the rest",
                          "graafit olivat tyhjiä, ja kukin ladattiin yhdellä kokonaan "
                          "vahvistetulla pyynnöllä: kukin on yhä tyhjä tai valmis; siirrä uudelleen "
                          "ladataksesi loput"),
    "push-state-delta-sent": ("the change was one transaction: the store holds either the previous "
                              "or the complete new version of every graph; check with a count "
                              "query or push again",
                              "muutos oli yksi transaktio: tietovarastossa on jokaisesta graafista "
                              "joko edellinen tai valmis uusi versio; tarkista lukumäärät tai siirrä "
                              "uudelleen"),
    "push-state-untouched": ("nothing was replaced: the store still holds the previous version of "
                             "every graph",
                             "mitään ei korvattu: tietovarastossa on yhä jokaisen graafin edellinen "
                             "versio"),
    "push-state-moved": ("each graph holds either its previous or its complete new version; check "
                         "with a count query or push again",
                         "kussakin graafissa on joko edellinen tai valmis uusi versio; tarkista "
                         "lukumäärät tai siirrä uudelleen"),
    "push-what-ask": ("asking the store whether it holds the graphs",
                      "kysyttäessä, onko tietovarastossa graafeja"),
    "push-what-counts-before": ("reading the store's counts", "luettaessa tietovaraston lukumääriä"),
    "push-what-read": ("reading the graphs the store holds", "luettaessa tietovaraston graafeja"),
    "push-what-delta": ("replacing the graphs ({added} triples in, {removed} out)",
                        "korvattaessa graafeja ({added} kolmikkoa lisää, {removed} pois)"),
    "push-what-upload-graph": ("uploading {graph}", "siirrettäessä graafia {graph}"),
    "push-what-upload-batch": ("uploading {graphs} graph(s) ({triples} triples)",
                               "siirrettäessä {graphs} graafia ({triples} kolmikkoa)"),
    "push-what-insert": ("uploading {parts} graph part(s)", "siirrettäessä {parts} graafin osaa"),
    "push-what-check-upload": ("checking the upload", "tarkistettaessa siirtoa"),
    "push-what-clear-short": ("clearing short temporary graphs",
                              "tyhjennettäessä vajaita väliaikaisia graafeja"),
    "push-what-move": ("replacing the graphs (MOVE)", "korvattaessa graafeja (MOVE)"),
    "push-what-verify": ("checking the triple counts", "tarkistettaessa kolmikkojen lukumääriä"),
    "push-what-clean": ("cleaning up", "siivottaessa"),
    # serve
    "listen-failed": ("cannot listen on {host}:{port}: {reason}",
                      "osoitetta {host}:{port} ei voi kuunnella: {reason}"),
    "listen-failed.hint": ("choose another --port, or stop what is using it",
                           "valitse toinen --port tai pysäytä sitä käyttävä ohjelma"),
    "no-release": ("the release folder {folder} does not exist", "julkaisukansiota {folder} ei ole"),
    "no-release.hint": ("run akke-graph publish --out DIR first, or leave out --release",
                        "aja ensin akke-graph publish --out KANSIO tai jätä --release pois"),
}


@dataclass(frozen=True)
class Text:
    """A message by key, with the values to fill in; English unless rendered in another language."""

    key: str
    fields: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str = "en") -> str:
        english, finnish = MESSAGES[self.key]
        template = finnish if lang == "fi" and finnish else english
        values = {k: v.render(lang) if isinstance(v, Text) else v for k, v in self.fields.items()}
        return template.format(**values)

    def __str__(self) -> str:
        return self.render("en")


Message = Union[str, Text]


def text(key: str, /, **fields: object) -> Text:
    """The message ``key`` of :data:`MESSAGES` with ``fields`` filled in."""
    if key not in MESSAGES:
        raise KeyError(f"no message {key!r} in akke_graph.errors.MESSAGES")
    return Text(key, fields)


def render(message: Message | None, lang: str = "en") -> str:
    """A message (plain text or a :class:`Text`) in ``lang``."""
    if message is None:
        return ""
    return message.render(lang) if isinstance(message, Text) else message


class AkkeError(Exception):
    """Base class: ``str(error)`` is the user-facing message, ``exit_code`` the CLI exit code.

    ``message`` and ``hint`` are the English strings; :meth:`render` gives them in another
    language where the message is a :class:`Text` with a translation."""

    exit_code = EXIT_ERROR

    def __init__(self, message: Message, *, hint: Message | None = None) -> None:
        super().__init__(str(message))
        self.message_text = message
        self.hint_text = hint
        self.message = str(message)
        self.hint = None if hint is None else str(hint)

    def render(self, lang: str = "en") -> str:
        message = render(self.message_text, lang)
        return message if self.hint_text is None else f"{message}\n  → {render(self.hint_text, lang)}"

    def __str__(self) -> str:
        return self.render("en")


class ConfigError(AkkeError):
    """The project configuration or layout is missing or wrong."""


class InputError(AkkeError):
    """A file the user gave cannot be read or parsed."""

    def __init__(self, path: str, message: Message, *, line: int | None = None,
                 hint: Message | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(Text("located", {"where": where, "message": message}), hint=hint)
        self.path = path
        self.line = line


class ShapesError(AkkeError):
    """The SHACL shapes are missing or cannot be used."""


class Report(Protocol):
    """What a non-conformant graph carries: a report that can be written in either language."""

    def to_text(self, lang: str = ...) -> str: ...


class NonConformantError(AkkeError):
    """The graph does not conform to the shapes; nothing downstream may run. The report is
    rendered where the error is shown, in that command's language."""

    exit_code = EXIT_NONCONFORMANT

    def __init__(self, message: Message, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report

    def report_text(self, lang: str = "en") -> str:
        return self.report.to_text(lang) if self.report is not None else ""


class QueryError(AkkeError):
    """A canned or ad-hoc query cannot be found, parsed or run."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown or has a value of the wrong type."""


class EndpointError(AkkeError):
    """A remote SPARQL endpoint or store is unreachable or answered with an error."""


class RegistryError(AkkeError):
    """A national registry cannot be reached or answered something unusable."""


class PublishError(AkkeError):
    """A release cannot be written."""


class ServeError(AkkeError):
    """The SPARQL service cannot be started or stopped."""
