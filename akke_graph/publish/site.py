"""What every HTML page of a release shares: the Jinja2 environment, the words of the page chrome
in Finnish and English, and the map from IRIs to files of the release (``{base}id/<kind>/<slug>``
↔ ``id/<kind>/<slug>.html``), so that every link between pages is relative and works from a
folder, a web server or a USB stick, with no JavaScript and no network."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox
from markupsafe import Markup, escape

from akke_graph.publish.annotations import mapped_label
from akke_graph.publish.humanize import count_text, date_text, period_text
from akke_graph.publish.model import Label, ReleaseGraph, Term
from akke_graph.registries.ytunnus import register_page
from akke_graph.terms import XSD, compact

if TYPE_CHECKING:
    from jinja2 import Environment

VALUE_CACHE = 200_000   # IRIs as shown on pages (neighbours recur on many pages)
SLUG = re.compile(r"^[A-Za-z0-9._~-]+$")
RDF_FORMATS = (("ttl", "Turtle", "text/turtle"), ("jsonld", "JSON-LD", "application/ld+json"),
               ("nt", "N-Triples", "application/n-triples"))

WORDS: dict[str, tuple[str, str]] = {
    "home": ("Etusivu", "Home"),
    "ontology": ("Ontologia", "Ontology"),
    "queries": ("Valmiit kyselyt", "Canned queries"),
    "catalog": ("Aineistokuvaus (DCAT-AP)", "Dataset description (DCAT-AP)"),
    "type": ("Tyyppi", "Type"),
    "properties": ("Ominaisuudet", "Properties"),
    "parts": ("Osat", "Parts"),
    "incoming": ("Viittaukset tähän", "Links to this"),
    "sources": ("Lähteet", "Sources"),
    "source_file": ("lähdetiedosto", "source file"),
    "rdf": ("RDF-muodot", "RDF formats"),
    "iri": ("Tunniste", "Identifier"),
    "none": ("ei yhtään", "none"),
    "licence_line": ("Data: CC BY 4.0 -lisenssi.", "Data: CC BY 4.0 licence."),
    "entities": ("Oliot", "Entities"),
    "release": ("Julkaisu", "Release"),
    "sparql": ("SPARQL-kysely", "SPARQL query"),
}

KINDS: dict[str, tuple[str, str]] = {
    "project": ("hankkeet", "projects"),
    "programme": ("rahoitusohjelmat", "programmes"),
    "agreement": ("ekosysteemisopimukset", "ecosystem agreements"),
    "city-region": ("kaupunkiseudut", "city regions"),
    "work-package": ("työpaketit", "work packages"),
    "organisation": ("organisaatiot", "organisations"),
    "person": ("henkilöt", "persons"),
    "role": ("roolit", "roles"),
    "theme": ("teemat", "themes"),
    "scheme": ("sanastot", "schemes"),
}


def word(key: str, lang: str) -> str:
    fi, en = WORDS[key]
    return fi if lang == "fi" else en


@lru_cache(maxsize=None)
def both(key: str) -> Markup:
    """A heading in Finnish with its English beside it, for the bilingual pages."""
    fi, en = WORDS[key]
    return Markup(f'{escape(fi)} <span class="alt" lang="en">· {escape(en)}</span>')


def kind_name(kind: str, lang: str) -> str:
    fi, en = KINDS.get(kind, (kind, kind))
    return fi if lang == "fi" else en


@lru_cache(maxsize=1)
def environment() -> "Environment":
    """The Jinja2 environment over ``akke_graph/templates`` (autoescaping HTML and SVG)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("akke_graph", "templates"),
                      autoescape=select_autoescape(["html", "svg"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    env.globals.update(word=word, both=both, kind_name=kind_name, property_table=property_table,
                       incoming_table=incoming_table, label=label_html, style_css=style_css,
                       date=date_text, period=period_text, count=count_text)
    return env


def write_file(target: Path, data: bytes) -> None:
    """Write a new file of the release with the fewest system calls (pages are many)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def render(template: str, target: Path, *, folder_exists: bool = False, **context: object) -> None:
    if not folder_exists:
        target.parent.mkdir(parents=True, exist_ok=True)
    write_file(target, environment().get_template(template).render(**context).encode("utf-8"))


@dataclass
class Site:
    """Maps IRIs of the graph to files of the release."""

    graph: ReleaseGraph
    sections: tuple[str, ...] = ("ontology", "catalog")   # top-level pages this release has
    curies: dict[str, str] = field(default_factory=dict, repr=False)
    targets: dict[str, str | None] = field(default_factory=dict, repr=False)
    values: dict[tuple[str, str, ox.NamedNode], dict[str, object]] = field(default_factory=dict, repr=False)
    navs: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict, repr=False)
    owners: dict[tuple[str, str, ox.NamedNode], dict[str, object]] = field(default_factory=dict, repr=False)

    def curie(self, iri: str) -> str:
        """``prefix:local`` where a prefix fits, else the IRI (cached: the same few terms recur)."""
        if iri not in self.curies:
            self.curies[iri] = compact(iri, self.graph.prefixes)
        return self.curies[iri]

    def entity_file(self, iri: str) -> str | None:
        """``id/<kind>/<slug>`` (no extension) for an own entity IRI, hash part dropped."""
        base = self.graph.config.id_base
        if not iri.startswith(base):
            return None
        parts = iri[len(base):].split("#", 1)[0].split("/")
        if len(parts) != 2 or not all(SLUG.match(p) for p in parts) or parts[1] == "index":
            return None
        return "id/" + "/".join(parts)

    def target(self, iri: str) -> str | None:
        """The release file (and fragment) that describes ``iri``, or None when it is not ours."""
        if iri not in self.targets:
            self.targets[iri] = self._target(iri)
        return self.targets[iri]

    def _target(self, iri: str) -> str | None:
        entity = self.entity_file(iri)
        if entity:
            return entity + ".html" + ("#" + iri.split("#", 1)[1] if "#" in iri else "")
        ontology_ns = self.graph.config.ontology_ns
        if iri.startswith(ontology_ns) and SLUG.match(iri[len(ontology_ns):]):
            return "ontology/index.html#" + iri[len(ontology_ns):]
        if iri in (self.graph.config.ontology_iri, self.graph.config.ontology_ns):
            return "ontology/index.html"
        if iri == self.graph.base:
            return "index.html"
        if iri.startswith(self.graph.base + "catalog"):
            return "catalog.html"
        return None


@dataclass
class Page:
    """One page being written: where it is, so links from it can be made relative."""

    site: Site
    path: str            # release-relative path of this page
    lang: str = "fi"

    def rel(self, target: str) -> str:
        """Relative URL from this page to a release file (``target`` may carry a fragment)."""
        file, _, fragment = target.partition("#")
        if file == self.path:
            url = ""
        else:
            here, there = self.path.split("/")[:-1], file.split("/")
            common = 0
            while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
                common += 1
            url = "/".join([".."] * (len(here) - common) + there[common:])
        if fragment:
            url += "#" + fragment
        return url or self.path.rsplit("/", 1)[-1]

    def nav(self) -> list[dict[str, str]]:
        """The site navigation, relative to this page, for the sections the release has (the
        same for every page of a folder and language)."""
        key = (self.path.rsplit("/", 1)[0] if "/" in self.path else "", self.lang)
        found = self.site.navs.get(key)
        if found is None:
            found = self.site.navs[key] = self._nav()
        return found

    def _nav(self) -> list[dict[str, str]]:
        targets = {"home": "index.html" if self.lang == "fi" else "index.en.html",
                   "ontology": "ontology/index.html", "queries": "queries/index.html", "catalog": "catalog.html"}
        items = [{"key": key, "href": self.rel(targets[key]), "text": word(key, self.lang)}
                 for key in ("home", *self.site.sections)]
        endpoint = self.site.graph.config.endpoint
        if endpoint:   # the endpoint's own query page (``serve`` shows one at /sparql)
            items.append({"key": "sparql", "href": endpoint, "text": word("sparql", self.lang)})
        return items

    def href(self, term: object) -> str | None:
        if isinstance(term, ox.NamedNode):
            target = self.site.target(term.value)
            if target:
                return self.rel(target)
            if term.value.startswith(("http://", "https://")) and not term.value.startswith(self.site.graph.base):
                return term.value
        return None

    def label(self, term: Term) -> Label:
        return self.site.graph.label(term, self.lang)

    def curie(self, iri: str) -> str:
        return self.site.curie(iri)

    def value(self, term: object) -> dict[str, object]:
        """A term as the templates show it: text, language, link, title (the full IRI), and the
        ready HTML (built here rather than in a template macro: pages are many). An IRI's is
        made once for all the pages of a folder and language (treat it as read-only)."""
        if isinstance(term, ox.NamedNode):
            key = (self.path.rsplit("/", 1)[0], self.lang, term)
            found = self.site.values.get(key)
            if found is None:
                if len(self.site.values) > VALUE_CACHE:
                    self.site.values.clear()
                found = self.site.values[key] = self._value(term)
            return found
        return self._value(term)

    def _value(self, term: object) -> dict[str, object]:
        value: dict[str, object]
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            shown = None if term.language or datatype == XSD + "string" else self.curie(datatype)
            href = register_page(term.value) if datatype == self.site.graph.config.ontology_ns + "businessId" else None
            value = {"text": term.value, "lang": term.language, "href": href,
                     "title": ("YTJ: " + term.value) if href else None, "datatype": shown}
        elif isinstance(term, ox.NamedNode):
            label = self.label(term)
            if label.lang is None and label.text in (term.value, self.curie(term.value)):
                # An IRI of another dataset that the graph names only in a mapping's annotation:
                # that label, with the IRI's own last part beside it (p28601, Q38511).
                mapped = mapped_label(self.site.graph, term)
                if mapped is not None:
                    tail = term.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                    label = Label(f"{mapped.text} · {tail}", mapped.lang)
            value = {"text": label.text, "lang": label.lang, "href": self.href(term), "title": term.value,
                     "datatype": None}
        else:
            value = {"text": "", "lang": None, "href": None, "title": None, "datatype": None}
        value["html"] = value_html(value)
        return value


@lru_cache(maxsize=1)
def style_css() -> Markup:
    """The release's style sheet, inlined in every page (read once)."""
    from importlib.resources import files

    return Markup(files("akke_graph").joinpath("templates/style.css").read_text(encoding="utf-8"))


def label_html(label: Label) -> Markup:
    """A label, in a ``span`` with its language when it has one."""
    if label.lang:
        return Markup(f'<span lang="{escape(label.lang)}">{escape(label.text)}</span>')
    return escape(label.text)


def incoming_table(links: list[dict[str, object]]) -> Markup:
    """The links pointing at an entity, one line per linking entity: through what (the linking
    part's label, or the property) and from which entity (up to hundreds on a popular entity)."""
    out = ['<ul class="incoming">\n']
    for link in links:
        prop = f'<code>{escape(link["prop"])}</code>'
        if link["prop_href"]:
            prop = f'<a href="{escape(link["prop_href"])}" class="prop">{prop}</a>'
        via = f'<span class="via">{escape(link["via"])}</span> · ' if link.get("via") else ""
        out.append(f'<li>{via}{prop} — {link["subject"]["html"]}</li>\n')  # type: ignore[index]
    out.append("</ul>\n")
    return Markup("".join(out))


def value_html(v: dict[str, object]) -> Markup:
    lang = f' lang="{escape(v["lang"])}"' if v["lang"] else ""
    if v["href"]:
        title = f' title="{escape(v["title"])}"' if v["title"] else ""
        html = f'<a href="{escape(v["href"])}"{title}{lang}>{escape(v["text"])}</a>'
    elif lang:
        html = f'<span{lang}>{escape(v["text"])}</span><span class="lang">@{escape(v["lang"])}</span>'
    else:
        html = str(escape(v["text"]))
    if v["datatype"]:
        html += f'<span class="datatype">{escape(v["datatype"])}</span>'
    return Markup(html)


def property_table(rows: list[dict[str, Any]]) -> Markup:
    """The table of an entity's properties and values (blank nodes nested in their row).

    Written here rather than as a template macro: it is the innermost loop of thousands of pages.
    """
    out = ['<table class="props">\n<tbody>\n']
    for row in rows:
        code = f'<code>{escape(row["prop"])}</code>'
        prop = (f'<a href="{escape(row["href"])}" title="{escape(row["iri"])}">{code}</a>' if row["href"]
                else f'<code title="{escape(row["iri"])}">{escape(row["prop"])}</code>')
        out.append(f'<tr>\n<td class="prop">{prop}</td>\n<td><ul class="values">\n')
        for v in cast("list[dict[str, Any]]", row["values"]):
            if "nested" in v:
                pills = "".join(f'<span class="pill">{t["html"]}</span>' for t in v["types"])
                out.append(f'<li><div class="nested">{pills}{property_table(v["nested"])}</div></li>\n')
            else:
                note = f'<div class="note">{v["note"]}</div>' if v.get("note") else ""
                out.append(f'<li>{v["html"]}{note}</li>\n')
        out.append("</ul></td>\n</tr>\n")
    out.append("</tbody>\n</table>\n")
    return Markup("".join(out))
