"""Records become statements in the model, one draft data file per source page.

Each page's facts go to ``data/sources/<host>/<path>.ttl``: its own named graph, whose
``<> prov:wasDerivedFrom`` is the page. A statement the graph already makes is not repeated, so
importing a page twice (or a page the hand-written files already describe) adds nothing, and each
fact stays in the file of the first page that gave it. Inside the file each block of statements
is headed by a comment naming the row or line it was read from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from akke_graph.config import Config
from akke_graph.importer.amounts import decimal_text
from akke_graph.importer.records import OrgRef, Record
from akke_graph.importer.report import RowOutcome
from akke_graph.importer.resolve import Known, Match, Resolver
from akke_graph.importer.turtle import THIS_GRAPH
from akke_graph.link.sssom_tsv import LEXICAL, TOOL
from akke_graph.link.sssom_tsv import SKOS as SSSOM_SKOS
from akke_graph.link.sssom_tsv import Mapping as Candidate
from akke_graph.names import normalise_name, slugify
from akke_graph.terms import (
    ADMS,
    DCAT,
    DCTERMS,
    FOAF,
    FRAPO,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
)

AGENCY = "Patentti- ja rekisterihallitus ja Verohallinto (YTJ)"
CURRENCY = "EUR"
ROLE_ORDER = ("main-implementer", "coordinator", "applicant", "partner")


THIS = ox.NamedNode(THIS_GRAPH)


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(text, language=lang)
    if datatype:
        return ox.Literal(text, datatype=ox.NamedNode(datatype))
    return ox.Literal(text)


def page_file(config: Config, page: str) -> Path:
    """``data/sources/<host>/<path and query as a slug>.ttl``, the slug cut (with a hash of the
    whole address) where it would be long."""
    parts = urlsplit(page)
    host = re.sub(r"[^a-z0-9.-]+", "-", re.sub(r"^www\.", "", (parts.hostname or "page").lower())).strip(".-")
    rest = slugify(f"{parts.path} {parts.query}") or "index"
    if len(rest) > 80:
        rest = f"{slugify(rest, 70)}-{hashlib.sha1(page.encode('utf-8')).hexdigest()[:8]}"
    return config.data_dir / "sources" / (host or "page") / f"{rest}.ttl"


@dataclass
class PageDraft:
    """The statements one page gives, in blocks headed by the row they come from."""

    page: str
    path: Path
    graph: str
    blocks: list[tuple[str, list[ox.Triple], int]] = field(default_factory=list)   # comment, triples, line
    seen: set[ox.Triple] = field(default_factory=set)


class Builder:
    """Turns records into page drafts, matching every entity through the :class:`Resolver`."""

    def __init__(self, config: Config, resolver: Resolver, display: str) -> None:
        self.config = config
        self.resolver = resolver
        self.display = display
        self.pages: dict[str, PageDraft] = {}
        self.candidates: list[Candidate] = []
        self.row_triples: dict[int, list[tuple[str, ox.Triple]]] = {}
        self.ns = config.ontology_ns
        self.today = dt.date.today().isoformat()
        self.new_titles: dict[tuple[str, str], set[str]] = {}
        self.stated: set[ox.Triple] = set()

    # --- small helpers ------------------------------------------------------------------------

    def role(self, name: str) -> ox.NamedNode:
        return node(self.config.id_base + "role/" + name)

    def draft(self, page: str) -> PageDraft:
        if page not in self.pages:
            path = page_file(self.config, page)
            self.pages[page] = PageDraft(page, path, self.config.graph_iri(path))
        return self.pages[page]

    def emit(self, record: Record, triples: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]],
             comment: str) -> None:
        draft = self.draft(record.source)
        made = [ox.Triple(s, node(p), o) for s, p, o in triples]
        # A statement goes to the first page that makes it, in the order of the records.
        fresh = [t for t in made if t not in draft.seen and (t.subject == THIS or t not in self.stated)]
        draft.seen.update(fresh)
        self.stated.update(fresh)
        if fresh:
            draft.blocks.append((comment, fresh, record.line))
        self.row_triples.setdefault(record.line, []).extend((record.source, t) for t in made)

    def candidate(self, match: Match, name: str, record: Record, outcome: RowOutcome, what: str) -> None:
        """Write the undecided match down for review and say so on the row."""
        shown = ", ".join(f"{label} ({score:.2f})" for _, score, label in match.candidates)
        outcome.notes.append(f"{what} {name!r} is not certainly any entity of the graph (similar: {shown}): "
                             "left out until a reviewer decides")
        for iri, score, label in match.candidates:
            if any(c.subject_id == match.would_be and c.object_id == iri for c in self.candidates):
                continue
            self.candidates.append(Candidate(
                subject_id=match.would_be or "", subject_label=name, predicate_id=SSSOM_SKOS + "exactMatch",
                object_id=iri, object_label=label, mapping_justification=LEXICAL, confidence=score,
                mapping_date=self.today, mapping_tool=TOOL, subject_source=record.source,
                comment=f"{self.display} line {record.line}: the {what} as the page writes it"))

    # --- organisations ------------------------------------------------------------------------

    def organisation(self, ref: OrgRef, record: Record, outcome: RowOutcome, what: str,
                     out: list) -> ox.NamedNode | None:
        """The organisation ``ref`` names, with the statements this page makes about it; None
        (and the reason on the row) when it is not certain or cannot be made."""
        match = self.resolver.organisation(ref)
        name = next(iter(ref.names.values()))
        if match.candidates:
            self.candidate(match, name, record, outcome, what)
            return None
        if match.reason:
            outcome.notes.append(f"{what}: {match.reason}")
            return None
        assert match.iri is not None
        org = node(match.iri)
        out.append((org, RDF + "type", node(ORG + "FormalOrganization")))
        known = self.resolver.organisations.get(match.iri)
        if match.new or known is None:
            for lang, text in ref.names.items():
                out.append((org, SKOS + "prefLabel", lit(text, lang)))
            for alias in ref.aliases:
                out.append((org, SKOS + "altLabel", lit(alias, record.language)))
            outcome.created.append(match.iri)
            self.resolver.add_organisation(match.iri, ref)
        else:
            outcome.matches.append(f"{what} {name!r} is {self.resolver.label(match.iri)} ({match.how})")
            spelled = {normalise_name(n) for n in known.names()}
            # The record names the organisation itself (not a unit of it) when one of its names is
            # one the graph knows, when it matched a city's name, or when a reviewer said so.
            itself = match.by in ("city", "reviewed") or any(normalise_name(t) in spelled for t in ref.names.values())
            for lang, text in ref.names.items():
                if text in known.labels.get(lang, set()):
                    predicate = "prefLabel" if known.pref.get(lang) == text else "altLabel"
                elif any(text in names for names in known.labels.values()) or not itself:
                    continue          # a name known in another language, or perhaps a unit's name
                else:
                    predicate = "altLabel" if known.pref.get(lang) else "prefLabel"
                    known.add(lang, text, preferred=predicate == "prefLabel")
                out.append((org, SKOS + predicate, lit(text, lang)))
        if ref.business_id:
            ident = node(match.iri + "#business-id")
            out += [(org, ADMS + "identifier", ident), (ident, RDF + "type", node(ADMS + "Identifier")),
                    (ident, SKOS + "notation", lit(ref.business_id, datatype=self.ns + "businessId")),
                    (ident, ADMS + "schemaAgency", lit(AGENCY))]
            if known is not None and not known.business_id:
                known.business_id = ref.business_id
        return org

    # --- the source page ----------------------------------------------------------------------

    def source(self, record: Record) -> None:
        page = node(record.source)
        parts = urlsplit(record.source)
        shown = f"{re.sub(r'^www[.]', '', parts.hostname or '')}{parts.path.rstrip('/')}"
        if parts.query:
            shown += "?" + parts.query
        described: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [] if record.source in self.resolver.documents else [
            (page, RDF + "type", node(FOAF + "Document")), (page, RDF + "type", node(PROV + "Entity")),
            (page, RDFS + "label", lit(f"Lähdesivu {shown}", "fi")),
            (page, RDFS + "label", lit(f"Source page {shown}", "en"))]
        self.emit(record, [(node(THIS_GRAPH), PROV + "wasDerivedFrom", page), *described],
                  f"the source page {record.source}")

    # --- projects -----------------------------------------------------------------------------

    def project(self, record: Record, outcome: RowOutcome) -> None:
        match = self.resolver.project(record.titles, record.acronym, record.start, record.end)
        if match.candidates:
            self.candidate(match, record.label, record, outcome, "project")
            outcome.status, outcome.reason = "skipped", outcome.notes.pop()
            return
        if match.reason:
            outcome.status, outcome.reason = "skipped", match.reason
            return
        assert match.iri is not None
        self.source(record)
        iri = match.iri
        project = node(iri)
        known = self.resolver.projects[iri]
        out: list = [(project, RDF + "type", node(ORG + "OrganizationalCollaboration")),
                     (project, RDF + "type", node(FOAF + "Project"))]
        if match.new:
            outcome.created.append(iri)
            outcome.status = "created"
        else:
            outcome.matches.append(f"project {record.label!r} is {self.resolver.show(iri)} ({match.how})")
        for lang, title in record.titles.items():
            current = set() if match.new else self._titles(iri, lang)
            predicate = DCTERMS + ("title" if not current or title in current else "alternative")
            if predicate.endswith("title"):
                self.new_titles.setdefault((iri, lang), set()).add(title)
            out.append((project, predicate, lit(title, lang)))
        if record.acronym and (match.new or known.acronym in (None, record.acronym)):
            out.append((project, FRAPO + "hasAcronym", lit(record.acronym)))
        out.append((project, DCTERMS + "source", node(record.source)))
        self._period(record, outcome, project, known, out)
        self.emit(record, out, f"{self.display} line {record.line}: {record.label}")
        self._members(record, outcome, project)
        self._funding(record, outcome, project)
        self._work_packages(record, outcome, project)

    def _titles(self, iri: str, lang: str) -> set[str]:
        rows = self.resolver.store.select(
            f"SELECT ?t WHERE {{ <{iri}> <{DCTERMS}title> ?t FILTER(LANG(?t) = \"{lang}\") }}")
        return {r["t"].value for r in rows} | self.new_titles.get((iri, lang), set())

    def _period(self, record: Record, outcome: RowOutcome, project: ox.NamedNode, known: Known,
                out: list) -> None:
        if not (record.start or record.end):
            return
        if (record.start and known.start and record.start != known.start) or \
                (record.end and known.end and record.end != known.end):
            outcome.notes.append(f"period {record.start} – {record.end} left out: the graph gives "
                                 f"{known.start} – {known.end}")
            return
        period = node(known.node or project.value + "#period")
        known.node = period.value
        out += [(project, DCTERMS + "temporal", period), (period, RDF + "type", node(DCTERMS + "PeriodOfTime"))]
        if record.start:
            out.append((period, DCAT + "startDate", lit(record.start.isoformat(), datatype=XSD + "date")))
            known.start = record.start
        if record.end:
            out.append((period, DCAT + "endDate", lit(record.end.isoformat(), datatype=XSD + "date")))
            known.end = record.end

    def _members(self, record: Record, outcome: RowOutcome, project: ox.NamedNode) -> None:
        roles: dict[str, list[str]] = {}
        orgs: dict[str, ox.NamedNode] = {}
        out: list = []
        for ref in record.organisations:
            org = self.organisation(ref, record, outcome, ref.roles[0] if ref.roles else "partner", out)
            if org is None:
                continue
            orgs[org.value] = org
            roles.setdefault(org.value, [])
            roles[org.value] += [r for r in ref.roles if r not in roles[org.value]]
        for iri, org in orgs.items():
            membership = self.resolver.memberships.get((project.value, iri)) or \
                f"{project.value}#membership-{iri.rsplit('/', 1)[1]}"
            self.resolver.memberships[(project.value, iri)] = membership
            m = node(membership)
            out += [(m, RDF + "type", node(ORG + "Membership")), (m, ORG + "organization", project),
                    (m, ORG + "member", org)]
            out += [(m, ORG + "role", self.role(r)) for r in sorted(roles[iri], key=ROLE_ORDER.index)]
        if out:
            self.emit(record, out, f"{self.display} line {record.line}: partners")

    def _funding(self, record: Record, outcome: RowOutcome, project: ox.NamedNode) -> None:
        if not (record.programme or record.funders or record.authorities or record.amount is not None
                or record.total_cost is not None or record.status):
            return
        out: list = []
        programme = None
        if record.programme:
            match = self.resolver.programme(record.programme.title, record.programme.acronym,
                                            record.programme.language)
            programme = node(match.iri or "")
            out.append((programme, RDF + "type", node(FRAPO + "FundingProgramme")))
            if match.new:
                out.append((programme, DCTERMS + "title", lit(record.programme.title, record.programme.language)))
                if record.programme.acronym:
                    out.append((programme, FRAPO + "hasAcronym", lit(record.programme.acronym)))
                outcome.created.append(programme.value)
        funding_iri = self.resolver.funding(project.value, record.source, programme.value if programme else None)
        funding = node(funding_iri)
        new = funding_iri not in self.resolver.iris and not self._exists(funding_iri)
        self.resolver.iris.add(funding_iri)
        out += [(funding, RDF + "type", node(FRAPO + "Funding")), (funding, FRAPO + "funds", project),
                (project, FRAPO + "isFundedBy", funding)]
        if record.status == "granted":
            out.append((funding, RDF + "type", node(FRAPO + "Grant")))
        if new:
            title = record.titles.get("fi") or next(iter(record.titles.values()))
            title_en = record.titles.get("en") or title
            out += [(funding, RDFS + "label", lit(f"Rahoitus hankkeelle {title}", "fi")),
                    (funding, RDFS + "label", lit(f"Funding of {title_en}", "en"))]
        if programme is not None:
            out.append((funding, DCTERMS + "isPartOf", programme))
        if record.status:
            out.append((funding, ADMS + "status", node(f"{self.config.id_base}funding-status/{record.status}")))
        for prop, amount in ((FRAPO + "hasMonetaryValue", record.amount), (self.ns + "totalCost", record.total_cost)):
            if amount is not None:
                out.append((funding, prop, self._decimal(amount)))
        if record.amount is not None or record.total_cost is not None:
            out.append((funding, FRAPO + "hasCurrencyCode", lit(CURRENCY)))
        if record.decision_date:
            out.append((funding, FRAPO + "hasDecisionDate", lit(record.decision_date.isoformat(), datatype=XSD + "date")))
        agents: list[tuple[str, OrgRef]] = [("funder", r) for r in record.funders]
        agents += [("funding-authority", r) for r in record.authorities]
        if record.decision_body:
            agents.append(("decision-body", record.decision_body))
        resolved: list[tuple[str, ox.NamedNode]] = []
        for role, ref in agents:
            org = self.organisation(ref, record, outcome, role.replace("-", " "), out)
            if org is not None:
                resolved.append((role, org))
        for role, org in resolved:
            several = sum(1 for r, _ in resolved if r == role) > 1
            attribution = self.resolver.attributions.get((funding_iri, self.role(role).value, org.value)) or \
                (f"{funding_iri}-{role}-{org.value.rsplit('/', 1)[1]}" if several else f"{funding_iri}-{role}")
            self.resolver.attributions[(funding_iri, self.role(role).value, org.value)] = attribution
            a = node(attribution)
            out += [(funding, PROV + "qualifiedAttribution", a), (a, RDF + "type", node(PROV + "Attribution")),
                    (a, PROV + "agent", org), (a, PROV + "hadRole", self.role(role))]
        self.emit(record, out, f"{self.display} line {record.line}: funding")

    def _exists(self, iri: str) -> bool:
        return bool(self.resolver.store.ask(f"ASK {{ <{iri}> ?p ?o }}"))

    @staticmethod
    def _decimal(amount: Decimal) -> ox.Literal:
        return lit(decimal_text(amount), datatype=XSD + "decimal")

    def _work_packages(self, record: Record, outcome: RowOutcome, project: ox.NamedNode) -> None:
        people: dict[str, ox.NamedNode] = {}
        for contact in record.contacts:
            out: list = []
            org = self.organisation(contact.organisation, record, outcome, "organisation of the contacts", out)
            if org is None:
                continue
            match = self.resolver.person(contact.name, org.value)
            if match.reason:
                outcome.notes.append(f"contact person: {match.reason}")
                continue
            person = node(match.iri or "")
            people[contact.name] = person
            parts = contact.name.split()
            out += [(person, RDF + "type", node(FOAF + "Person")), (person, FOAF + "name", lit(contact.name)),
                    (person, ORG + "memberOf", org)]
            if len(parts) == 2:
                out += [(person, FOAF + "givenName", lit(parts[0])), (person, FOAF + "familyName", lit(parts[1]))]
            if match.new:
                outcome.created.append(person.value)
            self.emit(record, out, f"{self.display} line {contact.line}: contact person {contact.name}")
        for wp in record.work_packages:
            iri = self.resolver.work_package(project.value, wp.number)
            w = node(iri)
            known = self.resolver.work_packages[(project.value, wp.number)]
            out = [(w, RDF + "type", node(self.ns + "WorkPackage")),
                   (w, SKOS + "notation", lit(str(wp.number), datatype=XSD + "integer")),
                   (w, DCTERMS + "isPartOf", project)]
            for lang, title in wp.titles.items():
                current = self._wp_titles(iri, lang)
                if not current or title in current:
                    out.append((w, DCTERMS + "title", lit(title, lang)))
                    known.add(lang, title)
                else:
                    out.append((w, DCTERMS + "alternative", lit(title, lang)))
            for lang, others in wp.alternatives.items():
                for other in others:
                    if other not in wp.titles.values():
                        out.append((w, DCTERMS + "alternative", lit(other, lang)))
            for ref in wp.responsible:
                org = self.organisation(ref, record, outcome, f"responsible for work package {wp.number}", out)
                if org is not None:
                    out += self._association(w, "responsible-organisation", org)
            for contact in record.contacts:
                if wp.number in contact.work_packages and contact.name in people:
                    out += self._association(w, "contact-person", people[contact.name])
            self.emit(record, out, f"{self.display} line {wp.line}: work package {wp.number}")

    def _wp_titles(self, iri: str, lang: str) -> set[str]:
        rows = self.resolver.store.select(
            f"SELECT ?t WHERE {{ <{iri}> <{DCTERMS}title> ?t FILTER(LANG(?t) = \"{lang}\") }}")
        return {r["t"].value for r in rows}

    def _association(self, wp: ox.NamedNode, role: str, agent: ox.NamedNode) -> list:
        key = (wp.value, self.role(role).value, agent.value)
        prefix = "responsible" if role == "responsible-organisation" else "contact"
        iri = self.resolver.associations.get(key) or f"{wp.value}#{prefix}-{agent.value.rsplit('/', 1)[1]}"
        self.resolver.associations[key] = iri
        a = node(iri)
        return [(wp, PROV + "qualifiedAssociation", a), (a, RDF + "type", node(PROV + "Association")),
                (a, PROV + "agent", agent), (a, PROV + "hadRole", self.role(role))]

    # --- organisations and focus areas --------------------------------------------------------

    def organisation_row(self, record: Record, outcome: RowOutcome) -> None:
        assert record.organisation is not None
        out: list = []
        org = self.organisation(record.organisation, record, outcome, "organisation", out)
        if org is None:
            outcome.status, outcome.reason = "skipped", outcome.notes.pop()
            return
        if org.value in outcome.created:
            outcome.status = "created"
        self.source(record)
        self.emit(record, out, f"{self.display} line {record.line}: {record.label}")

    def focus_area_row(self, record: Record, outcome: RowOutcome) -> None:
        assert record.city_region and record.focus_area
        region = self.resolver.city_region(record.city_region)
        agreement = self.resolver.agreements.get(region.iri or "")
        if region.reason or agreement is None:
            outcome.status = "skipped"
            outcome.reason = region.reason or f"the graph has no ecosystem agreement for {record.city_region!r}"
            return
        assert region.iri is not None
        self.source(record)
        outcome.matches.append(f"city region {record.city_region!r} is {self.resolver.show(region.iri)}")
        match = self.resolver.focus_area(agreement, region.iri, record.focus_area)
        concept = node(match.iri or "")
        scheme = node(self.config.id_base + "scheme/focus-areas")
        out: list = [(concept, RDF + "type", node(SKOS + "Concept")), (concept, SKOS + "inScheme", scheme),
                     (concept, SKOS + "prefLabel", lit(record.focus_area, record.language)),
                     (node(agreement), DCTERMS + "subject", concept), (concept, DCTERMS + "source", node(record.source))]
        if match.new:
            outcome.created.append(concept.value)
            outcome.status = "created"
        for ref in record.authorities:
            org = self.organisation(ref, record, outcome, "funding authority", out)
            if org is not None:
                a = node(f"{concept.value}#funding-authority-{org.value.rsplit('/', 1)[1]}")
                out += [(concept, PROV + "qualifiedAttribution", a), (a, RDF + "type", node(PROV + "Attribution")),
                        (a, PROV + "agent", org), (a, PROV + "hadRole", self.role("funding-authority"))]
        self.emit(record, out, f"{self.display} line {record.line}: {record.focus_area}")
