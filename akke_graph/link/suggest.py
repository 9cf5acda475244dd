"""Candidate links for organisations that lack one, scored, as an SSSOM mapping set to review.

The score (``confidence``) weighs name similarity (rapidfuzz, on names with legal-form words such as
"Oy" taken out) most, then the evidence a registry gives besides the name: for the trade register
the municipality of the company's address, its company form against the form word in our name,
and whether it is still active; for Wikidata the country and, where a property is configured, a
business ID the item carries. Each row's comment lists that evidence for the reviewer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from akke_graph.config import Config
from akke_graph.errors import ParameterError
from akke_graph.link import graph as g
from akke_graph.link.sssom_tsv import (
    LEXICAL,
    LICENSE,
    SKOS,
    TOOL,
    WIKIDATA_SITE,
    YTJ,
    Mapping,
    MappingSet,
    today_iso,
    write_sssom,
)
from akke_graph.load import LoadedGraph
from akke_graph.names import (
    LEGAL_FORMS,
    legal_form_word,
    name_similarity,
    normalise_name,
)
from akke_graph.registries import codes
from akke_graph.registries.http import MIN_INTERVAL
from akke_graph.registries.prh import PRH_API, Company, PrhClient
from akke_graph.registries.wikidata import FINLAND, WD, Item, WikidataClient, qid
from akke_graph.sparql_http.policy import HttpPolicy
from akke_graph.store_spec import StoreSpec
from akke_graph.terms import M8G, ORG, own_prefixes

REGISTRIES = ("ytj", "wikidata")


@dataclass
class Entity:
    """An own entity to find links for, with what the graph knows that helps to match it."""

    iri: str
    names: dict[str, list[str]] = field(default_factory=dict)  # language ("" for legal name) → names
    municipality_codes: list[str] = field(default_factory=list)
    business_id: str | None = None
    public: bool = False

    @property
    def label(self) -> str:
        for lang in ("fi", "", "en"):
            if self.names.get(lang):
                return self.names[lang][0]
        return next((n for ns in self.names.values() for n in ns), self.iri)

    def all_names(self, langs: Iterable[str] | None = None) -> list[str]:
        keep = None if langs is None else set(langs)
        return list(dict.fromkeys(n for lang, ns in self.names.items()
                                  if keep is None or lang in keep for n in ns))


def combine(name: float, *evidence: float | None, name_weight: float) -> float:
    """Weighted score: the name, then each piece of evidence (unknown counts as 0.5)."""
    rest = (1.0 - name_weight) / max(len(evidence), 1)
    return round(name_weight * name + sum(rest * (0.5 if e is None else e) for e in evidence), 3)


def entities(loaded: LoadedGraph, registry: str, only: list[str] | None = None) -> list[Entity]:
    """Organisations without a link to ``registry`` (or exactly ``only``), with their names."""
    bid = g.business_id_datatype(loaded)
    if only:
        scope = f"VALUES ?e {{ {g.values(only)} }}"
    elif registry == "ytj":
        scope = (f"?e a <{ORG}FormalOrganization> . MINUS {{ ?e adms:identifier/skos:notation ?n . "
                 f"FILTER(DATATYPE(?n) = <{bid}>) }}")
    else:
        scope = (f"?e a <{ORG}FormalOrganization> . MINUS {{ ?e skos:exactMatch|owl:sameAs ?w . "
                 f'FILTER(STRSTARTS(STR(?w), "{WD}")) }}')
    rows = loaded.store.select(g.PREFIXES + f"""
        SELECT ?e ?k ?v WHERE {{
            {scope}
            {{ ?e skos:prefLabel|skos:altLabel ?v . BIND("label" AS ?k) }}
            UNION {{ ?e <http://www.w3.org/ns/regorg#legalName> ?v . BIND("legal" AS ?k) }}
            UNION {{ ?e dcterms:spatial ?v . BIND("spatial" AS ?k) }}
            UNION {{ ?e adms:identifier/skos:notation ?v . FILTER(DATATYPE(?v) = <{bid}>) BIND("bid" AS ?k) }}
            UNION {{ ?e a <{M8G}PublicOrganisation> . BIND("public" AS ?k) BIND(true AS ?v) }}
        }} ORDER BY ?e ?k ?v""")
    found: dict[str, Entity] = {}
    for r in rows:
        entity = found.setdefault(r["e"].value, Entity(iri=r["e"].value))
        kind, value = r["k"].value, r["v"]
        if kind == "label":
            language = value.language if isinstance(value, ox.Literal) else None
            entity.names.setdefault(language or "", []).append(value.value)
        elif kind == "legal":
            entity.names.setdefault("", []).insert(0, value.value)
        elif kind == "spatial":
            code = codes.municipality_code(value.value)
            if code:
                entity.municipality_codes.append(code)
        elif kind == "bid":
            entity.business_id = value.value
        elif kind == "public":
            entity.public = True
    return list(found.values())


def score_company(entity: Entity, company: Company) -> tuple[float, str]:
    """Confidence that ``company`` is ``entity``, and the evidence in words."""
    current, current_match = name_similarity(entity.all_names(), company.current_names)
    former, former_match = name_similarity(entity.all_names(), company.former_names)
    former *= 0.9
    name, match, which = ((current, current_match, "current name") if current >= former
                          else (former, former_match, "former name"))
    notes = [f"name {name:.2f} ({which} {match!r})"]
    municipality = None
    if entity.municipality_codes and company.municipality_codes:
        municipality = 1.0 if set(entity.municipality_codes) & set(company.municipality_codes) else 0.0
        notes.append(f"municipality {'/'.join(company.municipality_codes)} "
                     f"{'matches' if municipality else 'differs from ' + '/'.join(entity.municipality_codes)}")
    form = None
    word = legal_form_word(entity.all_names())
    if word and company.form:
        described = " ".join(text.casefold() for _, text in company.form.descriptions) or company.form.code
        form = 1.0 if LEGAL_FORMS[word] in described else 0.0
        notes.append(f"company form {company.form.text('fi')!r} {'fits' if form else 'does not fit'} "
                     f"{word!r}")
    active = 0.0 if company.ceased else 1.0
    notes.append(f"ceased {company.end_date}" if company.ceased else "active")
    return combine(name, municipality, form, active, name_weight=0.7), "; ".join(notes)


def score_item(entity: Entity, item: Item, business_id_property: str | None) -> tuple[float, str]:
    """Confidence that Wikidata ``item`` is ``entity``, and the evidence in words."""
    label, label_match = name_similarity(entity.all_names(), [t for _, t in item.labels])
    alias, alias_match = name_similarity(entity.all_names(), [t for _, t in item.aliases])
    alias *= 0.9  # an alias is weaker evidence than the item's own label
    name, match, which = ((label, label_match, "label") if label >= alias
                          else (alias, alias_match, "alias"))
    notes = [f"name {name:.2f} ({which} {match!r})"]
    country = 1.0 if WD + FINLAND in item.countries else 0.0
    notes.append("country Finland (Q33)" if country else
                 f"country {', '.join(qid(c) for c in item.countries) or 'not given'}")
    if item.types:
        notes.append("instance of " + ", ".join(qid(t) for t in item.types))
    if item.identifiers:
        notes.append("identifiers " + ", ".join(f"{p}={v}" for p, v in item.identifiers[:8]))
    if business_id_property and entity.business_id:
        carried = item.identifier(business_id_property)
        if entity.business_id in carried:
            notes.append(f"carries our business ID {entity.business_id} ({business_id_property})")
            return 1.0, "; ".join(notes)
        if carried:
            notes.append(f"carries another business ID {', '.join(carried)} ({business_id_property})")
            return combine(name, country, 0.0, name_weight=0.6), "; ".join(notes)
    return combine(name, country, name_weight=0.8), "; ".join(notes)


def suggest_ytj(candidates: list[Entity], client: PrhClient, *, per_entity: int = 5,
                today: str, progress: Callable[[str], None] | None = None) -> list[Mapping]:
    """Trade-register candidates for each entity, best first."""
    out: list[Mapping] = []
    for entity in candidates:
        if progress:
            progress(entity.label)
        companies: dict[str, Company] = {}
        for name in entity.all_names(("", "fi", "sv")) or entity.all_names():
            for company in client.search(name):
                companies.setdefault(company.business_id, company)
        scored = sorted(((score_company(entity, c), c) for c in companies.values()),
                        key=lambda x: (-x[0][0], x[1].business_id))[:per_entity]
        out += [Mapping(subject_id=entity.iri, subject_label=entity.label,
                        predicate_id=SKOS + "exactMatch", object_id=YTJ + c.business_id,
                        object_label=c.name, mapping_justification=LEXICAL, confidence=conf,
                        mapping_date=today, mapping_tool=TOOL, comment=why, object_source=PRH_API)
                for (conf, why), c in scored]
    return out


def suggest_wikidata(candidates: list[Entity], client: WikidataClient, *, per_entity: int = 5,
                     today: str, business_id_property: str | None = None,
                     progress: Callable[[str], None] | None = None) -> list[Mapping]:
    """Wikidata candidates (label in fi/sv/en, in Finland) for each entity, best first."""
    prop = business_id_property or None
    out: list[Mapping] = []
    for entity in candidates:
        if progress:
            progress(entity.label)
        items = client.candidates(entity.all_names())
        scored = sorted(((score_item(entity, i, prop), i) for i in items),
                        key=lambda x: (-x[0][0], x[1].qid))[:per_entity]
        out += [Mapping(subject_id=entity.iri, subject_label=entity.label,
                        predicate_id=SKOS + "exactMatch", object_id=i.iri, object_label=i.label("fi"),
                        mapping_justification=LEXICAL, confidence=conf, mapping_date=today,
                        mapping_tool=TOOL, comment=why, object_source=WIKIDATA_SITE)
                for (conf, why), i in scored]
    return out


def best_first(mappings: list[Mapping]) -> list[Mapping]:
    """Group by subject, subjects with the strongest candidate first, candidates best first."""
    best: dict[str, float] = {}
    for m in mappings:
        best[m.subject_id] = max(best.get(m.subject_id, 0.0), m.confidence or 0.0)
    return sorted(mappings, key=lambda m: (-best[m.subject_id], m.subject_id, -(m.confidence or 0.0)))


def suggestion_set(loaded: LoadedGraph, registry: str, mappings: list[Mapping], today: str) -> MappingSet:
    """The mapping set a reviewer gets: metadata that says what to do, rows best first."""
    base = loaded.config.base_iri
    return MappingSet(metadata={
        "mapping_set_id": f"{base}mappings/suggestions/{registry}/{today}",
        "mapping_set_title": f"Candidate links to {'the trade register (YTJ)' if registry == 'ytj' else 'Wikidata'}",
        "mapping_set_description": "Candidates to review: delete the wrong rows (or set "
                                   "predicate_modifier to Not), keep one row per subject, then run "
                                   "akke-graph link accept FILE --reviewer NAME.",
        "license": LICENSE,
        "mapping_date": today,
        "mapping_tool": TOOL,
    }, mappings=best_first(mappings))


def entity_iri(config: Config, text: str) -> str:
    """A full IRI from ``organisation:slug`` (own prefixes) or an IRI, checked."""
    prefix, sep, local = text.partition(":")
    own = own_prefixes(config.base_iri)
    if sep and prefix in own and not local.startswith("//"):
        return own[prefix] + local
    if text.startswith(("http://", "https://")):
        return text.strip("<>")
    raise ParameterError(f"--entity {text!r} is neither an IRI nor a CURIE with an own prefix",
                         hint="write e.g. organisation:turku-science-park or the full IRI")


def run_suggest(config: Config, registry: str, wanted: list[str], out: Path | None, *,
                per_entity: int = 5, api_url: str | None = None, endpoint_url: str | None = None,
                business_id_property: str | None = None, policy: HttpPolicy | None = None,
                min_interval: float = MIN_INTERVAL, store: StoreSpec | str = "oxigraph",
                progress: Callable[[str], None] | None = None,
                today: str | None = None) -> tuple[str, Path | None, int]:
    """Load the graph, find candidates, write the SSSOM file (or return its text for ``-``).
    ``policy`` and ``min_interval`` say how patient and polite the registry clients are."""
    from akke_graph.files import write_text
    from akke_graph.link.export import curie_prefixes
    from akke_graph.load import load

    if registry not in REGISTRIES:
        raise ParameterError(f"unknown registry {registry!r}", hint="use ytj or wikidata")
    loaded = load(config, store=store)
    day = today or today_iso()
    found = entities(loaded, registry, [entity_iri(config, e) for e in wanted] or None)
    if registry == "ytj":
        with PrhClient(api_url, policy, min_interval=min_interval) as client:
            mappings = suggest_ytj(found, client, per_entity=per_entity, today=day, progress=progress)
    else:
        mappings = suggest_wikidata(found, WikidataClient(endpoint_url, policy, min_interval=min_interval),
                                    per_entity=per_entity, today=day,
                                    business_id_property=business_id_property, progress=progress)
    text = write_sssom(suggestion_set(loaded, registry, mappings, day), curie_prefixes(config))
    if out is not None and str(out) == "-":
        return text, None, len(mappings)
    target = out or config.build_dir / "links" / f"suggestions-{registry}.sssom.tsv"
    write_text(target, text)
    return text, target, len(mappings)
