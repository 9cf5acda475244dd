"""A project card as the publisher's project pages write it, in Finnish or English: the title,
then labelled parts (period, partners, funding, content), the numbered work packages with those
responsible, and the contact persons with the work packages they answer for::

    AKKE – Alueellisten ekosysteemien kehittäminen Turun seudulla
    Toteutusaika: 1.5.2021 – 31.12.2021
    Hankepartnerit: Turun kaupunki ja Turku Science Park Oy
    Rahoitus: Työ- ja elinkeinoministeriö (Alueiden kestävän …) / Varsinais-Suomen liitto (rahoittajaviranomainen)
    Sisältö: … päätoteuttaja Turun kaupunki.
      1. Koordinaatio. Turun kaupunki ja Turku Science Park Oy
      2. Resurssiviisaat ratkaisut …: Turun kaupunki
    Yhteyshenkilöt Turku Science Park Oy:ssä: Koordinaatio: Aino Ukkola, …

The English card has the same parts (Duration, Project partners, Funding, Project in a nutshell,
Contact persons at …). Prose is not read, except for the sentence that names the main contractor.
"""

from __future__ import annotations

import re
from pathlib import Path

from akke_graph.errors import InputError
from akke_graph.importer.dates import DateError, parse_period
from akke_graph.importer.records import (
    ContactRecord,
    OrgRef,
    Record,
    WorkPackageRecord,
    parse_programme,
)
from akke_graph.importer.table import clean
from akke_graph.names import compact, normalise_name

LABELS = {
    "fi": {"period": ("toteutusaika", "kesto"), "partners": ("hankepartnerit", "partnerit", "toteuttajat"),
           "funding": ("rahoitus",), "content": ("sisältö", "hanke lyhyesti"),
           "contacts": ("yhteyshenkilöt",)},
    "en": {"period": ("duration", "implementation period", "period"), "partners": ("project partners", "partners"),
           "funding": ("funding",), "content": ("project in a nutshell", "content", "summary"),
           "contacts": ("contact persons", "contacts")},
}
ROLES = {"päätoteuttaja": "main-implementer", "main contractor": "main-implementer",
         "main implementer": "main-implementer", "rahoittajaviranomainen": "funding-authority",
         "funding authority": "funding-authority", "rahoittaja": "funder", "funder": "funder"}
MAIN = {"fi": re.compile(r"\b(?i:päätoteuttaja)(?:na)?\s+(?:on\s+)?(?P<name>[A-ZÅÄÖ][^.;:]*?)\s*(?:[.;:]|$)"),
        "en": re.compile(r"\b(?i:main (?:contractor|implementer))\s+(?:is\s+)?(?:the\s+)?(?P<name>[A-Z][^.;:]*?)\s*(?:[.;:]|$)")}
AND = re.compile(r"(?<!-)\s+(?:ja|and|och)\s+|\s*,\s*|\s*&\s*")
WORK_PACKAGE = re.compile(r"^\s*(?P<number>\d{1,2})[.)]\s+(?P<rest>.+?)\s*$")
CONTACT = re.compile(r"(?P<title>[^:]+?):\s*(?P<name>[A-ZÅÄÖ][\w'-]+(?:\s+[A-ZÅÄÖ][\w'-]+){1,3})\s*(?:,|\.?\s*$)")
CASE_ENDING = re.compile(r":(?:ssa|ssä|lla|llä|n)$")   # "Turku Science Park Oy:ssä" → the organisation
ACRONYM = re.compile(r"^(?P<acronym>[A-ZÅÄÖ][A-ZÅÄÖ0-9-]{1,11})\s*[–—-]\s+")


def split_names(text: str) -> list[str]:
    return [p.strip() for p in AND.split(text.strip()) if p.strip()]


def org(text: str, language: str) -> OrgRef:
    head, roles, aliases = text.strip(), [], []
    while (match := re.match(r"^(?P<head>.*?)\s*\((?P<inner>[^()]*)\)\s*$", head)) and match["head"]:
        head, inner = match["head"].strip(), match["inner"].strip()
        words = [w.casefold() for w in AND.split(inner) if w]
        if words and all(w in ROLES for w in words):
            roles += [ROLES[w] for w in words]
        else:
            aliases.append(inner)
    return OrgRef(text=text.strip(), names={language: head}, aliases=aliases, roles=roles)


def _label(line: str, language: str) -> tuple[str, str] | None:
    """(part, value) of a ``Label: value`` line, the part one of :data:`LABELS`."""
    if ":" not in line:
        return None
    key = line.split(":", 1)[0].strip().casefold()
    for part, names in LABELS[language].items():
        if any(key == n or (part == "contacts" and key.startswith(n + " ")) for n in names):
            return part, line
    return None


def read_card(path: Path, display: str, source: str, language: str) -> Record:
    """The record a card file gives; :class:`InputError` when it cannot be read at all."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(display, f"cannot read the file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError(display, "the file is not UTF-8 text",
                         line=path.read_bytes()[: exc.start].count(b"\n") + 1, hint="save it as UTF-8") from None
    lines = [(n, clean(line)) for n, line in enumerate(text.splitlines(), 1)]
    content = [(n, line) for n, line in lines if line.strip()]
    if not content:
        raise InputError(display, "the card is empty", hint="the first line is the project's title")
    first_line, title = content[0][0], content[0][1].strip()
    record = Record(line=first_line, source=source, language=language, kind="projects")
    if re.search(r"(…|\.\.\.)\s*$", title):
        record.fatal = f"the title {title!r} is cut short (it ends with an ellipsis)"
        return record
    if _label(title, language):
        record.fatal = "the card does not begin with the project's title"
        return record
    record.titles[language] = title
    acronym = ACRONYM.match(title)
    if acronym:
        record.acronym = acronym["acronym"]
    seen_parts: set[str] = set()
    prose: list[str] = []
    for n, line in content[1:]:
        stripped = line.strip()
        if compact(stripped) == compact(title):
            continue          # the title repeated as the page's heading
        labelled = _label(stripped, language)
        wp = WORK_PACKAGE.match(stripped)
        if labelled:
            part = labelled[0]
            if part in seen_parts and part != "content":
                record.problems.append(f"line {n}: a second {part!r} part is left out")
                continue
            seen_parts.add(part)
            _part(record, part, stripped, n, language, prose)
        elif wp:
            _work_package(record, wp, n, language)
        else:
            prose.append(stripped)
    _main_contractor(record, " ".join(prose), language)
    _contacts_to_packages(record)
    if not record.organisations:
        record.problems.append("the card names no partners")
    return record


def _part(record: Record, part: str, line: str, n: int, language: str, prose: list[str]) -> None:
    head, value = line.split(":", 1)
    value = value.strip()
    if part == "period":
        try:
            record.start, record.end = parse_period(value)
        except DateError as exc:
            record.problems.append(f"line {n}: period left out: {exc}")
    elif part == "partners":
        for name in split_names(value):
            ref = org(name, language)
            ref.roles = ["partner", *ref.roles]
            record.organisations.append(ref)
    elif part == "funding":
        for piece in (p.strip() for p in value.split(" / ") if p.strip()):
            ref = org(piece, language)
            if ref.roles:
                (record.authorities if "funding-authority" in ref.roles else record.funders).append(ref)
                continue
            if ref.aliases and record.programme is None:
                record.programme = parse_programme(ref.aliases.pop(0), language)
            record.funders.append(ref)
    elif part == "content":
        prose.append(value)
    elif part == "contacts":
        where = re.sub(r"^\S+(?:\s+persons)?\s*(?:at\s+)?", "", head.strip(), flags=re.IGNORECASE).strip()
        organisation = org(CASE_ENDING.sub("", where), language) if where else None
        if organisation is None:
            record.problems.append(f"line {n}: the contact persons' organisation is not named: left out")
            return
        for match in CONTACT.finditer(value):
            record.contacts.append(ContactRecord(name=match["name"].strip(), organisation=organisation,
                                                 work_packages=[], line=n, title=match["title"].strip(" ,")))


def _work_package(record: Record, match: re.Match[str], n: int, language: str) -> None:
    number, rest = int(match["number"]), match["rest"]
    if ": " in rest:
        title, responsible = rest.rsplit(": ", 1)
    elif ". " in rest:
        title, responsible = rest.split(". ", 1)
    else:
        record.problems.append(f"line {n}: work package {number} names nobody responsible: left out")
        return
    if any(w.number == number for w in record.work_packages):
        record.problems.append(f"line {n}: work package {number} a second time: left out")
        return
    record.work_packages.append(WorkPackageRecord(
        number=number, titles={language: title.strip().rstrip(".:")}, line=n,
        responsible=[org(name, language) for name in split_names(responsible)]))


def _main_contractor(record: Record, prose: str, language: str) -> None:
    match = MAIN[language].search(prose)
    if not match:
        return
    wanted = normalise_name(match["name"])
    partner = next((r for r in record.organisations
                    if normalise_name(next(iter(r.names.values()))) == wanted), None)
    if partner is None:
        record.problems.append(f"the main contractor {match['name']!r} is not one of the partners: left out")
    elif "main-implementer" not in partner.roles:
        partner.roles.append("main-implementer")


def _contacts_to_packages(record: Record) -> None:
    """Each contact's work package by its title; a title written slightly otherwise (spaces,
    hyphens) is the same title and is kept as the package's alternative title."""
    for contact in record.contacts:
        title = contact.title
        found = [w for w in record.work_packages if compact(title) in {compact(t) for t in w.titles.values()}]
        if len(found) != 1:
            record.problems.append(f"line {contact.line}: the work package {title!r} of contact "
                                   f"{contact.name} is not one of the card's: left out")
            continue
        wp = found[0]
        contact.work_packages.append(wp.number)
        if title not in wp.titles.values():
            wp.alternatives.setdefault(record.language, []).append(title)
    merged: dict[tuple[str, str], ContactRecord] = {}
    for contact in record.contacts:
        key = (contact.name, contact.organisation.text)
        if key in merged:
            merged[key].work_packages += [n for n in contact.work_packages if n not in merged[key].work_packages]
        else:
            merged[key] = contact
    record.contacts = [c for c in merged.values() if c.work_packages]
