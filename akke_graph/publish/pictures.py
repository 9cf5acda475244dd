"""Pictures drawn from the graph at publish time, as plain SVG (no plotting library, no fonts to
fetch, no JavaScript): the ecosystem network of organisations and projects, and the timeline of
all projects. Every node and bar is a link to the entity's page.

The network is laid out on one circle, so that every label stands outside it and stays readable
however many projects there are: each organisation is followed by the projects it takes part in
that are not placed yet, organisations with the most projects first; partnerships are chords
inside the circle. Labels are whole, never cut: a long one is wrapped into lines, and its node
gets the arc its lines need; the circle and the room around it grow to fit. The timeline lists
every project, those whose sources give no period in a row of their own, so every project has
its link. Projects are sized by the funding granted to them, organisations by the funding
granted to the projects they lead (a proposal is not a grant: it is told in the node's title,
not drawn). The layout depends only on the graph, so the same graph always gives the same picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from akke_graph.publish.model import ReleaseGraph
from akke_graph.publish.site import Site
from akke_graph.terms import ADMS, DCAT, DCTERMS, FRAPO, ORG

MAX_NODES = 400       # a national graph has thousands of projects: the network shows the best funded
MAX_BARS = 400        # and the timeline the first ones, saying how many are left out
LABEL_CHARS = 40      # a network label's line; longer labels wrap
LINE_HEIGHT = 12.0
ROW_CHARS = 46        # a timeline label's line
LEADS = ("applicant", "main-implementer", "coordinator")
COLOURS = {  # Okabe–Ito, readable with colour-vision deficiencies
    "project": "#0072B2", "organisation": "#009E73", "edge": "#9aa5b1", "proposed": "#E69F00"}
KIND_NAMES = {"project": ("hanke", "project"), "organisation": ("organisaatio", "organisation")}
TEXT = {
    "eco_title": ("Ekosysteemi: organisaatiot ja hankkeet", "The ecosystem: organisations and projects"),
    "eco_desc": (("Verkostokuva: organisaatiot ja hankkeet, joissa ne ovat mukana; koko kertoo myönnetyn "
                 "rahoituksen. Jokainen solmu on linkki sivulleen."),
                 ("Network diagram: organisations and the projects they take part in; size shows the funding "
                 "granted. Every node links to its page.")),
    "time_title": ("Hankkeiden aikajana", "Timeline of the projects"),
    "time_desc": (("Hankkeiden toteutusajat janoina, ilman toteutusaikaa olevat hankkeet lopussa; jokainen "
                  "rivi on linkki hankkeen sivulle."),
                  ("The projects' periods as bars, the projects without a period at the end; every row "
                  "links to the project's page.")),
    "granted": ("myönnetty", "granted"), "proposed": ("esitetty", "proposed"),
    "size": ("koko: myönnetty rahoitus", "size: funding granted"),
    "more": ("ja {n} muuta, joita ei piirretty", "and {n} more, not drawn"),
    "none": ("ei hankkeita", "no projects"),
    "no_period": ("toteutusaika ei tiedossa", "period not given"),
    "no_grant": ("myönnettyä rahoitusta ei tiedossa", "no grant known"),
}
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "fi" else pair[1]


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken at spaces (a longer word keeps
    a line of its own): all of it, nothing cut."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def text_width(lines: list[str], size: float, bold: bool = False) -> float:
    """A generous estimate of the widest line's width in pixels (no font metrics at publish time)."""
    return max((len(line) for line in lines), default=0) * size * (0.68 if bold else 0.62)


def tspans(lines: list[str], x: float, line_height: float, first_dy: float, end: bool = False) -> str:
    """Lines as ``<tspan>``s under one ``<text>``, joined by a space so that the text reads back
    whole: the space ends a line, or starts the next where the text is anchored at its end (a
    space there would push the line off the edge)."""
    out = []
    for i, line in enumerate(lines):
        dy = first_dy if i == 0 else line_height
        text = (" " + line if end and i else line) + (" " if not end and i < len(lines) - 1 else "")
        out.append(f'<tspan x="{x:.1f}" dy="{dy:.1f}">{escape(text)}</tspan>')
    return "".join(out)


def euros(amount: Decimal, lang: str) -> str:
    text = f"{amount:,.0f}".replace(",", "\u202f" if lang == "fi" else ",")
    return f"{text} €"


def _decimal(term: object) -> Decimal | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None


@dataclass
class Node:
    iri: ox.NamedNode
    kind: str
    label: str = ""
    granted: Decimal = Decimal(0)
    proposed: Decimal = Decimal(0)
    links: set[ox.NamedNode] = field(default_factory=set)


@dataclass
class Network:
    nodes: dict[ox.NamedNode, Node] = field(default_factory=dict)
    left_out: int = 0

    def node(self, iri: ox.NamedNode, kind: str) -> Node:
        return self.nodes.setdefault(iri, Node(iri, kind))


def funding_of_projects(graph: ReleaseGraph) -> dict[ox.NamedNode, tuple[Decimal, Decimal]]:
    """Granted and proposed euros per project."""
    ids = graph.config.id_base
    found: dict[ox.NamedNode, tuple[Decimal, Decimal]] = {}
    for row in graph.select(f"""SELECT DISTINCT ?project ?funding ?status ?amount WHERE {{
            ?funding <{FRAPO}funds> ?project ; <{ADMS}status> ?status ; <{FRAPO}hasMonetaryValue> ?amount }}"""):
        amount = _decimal(row["amount"])
        if amount is None or not isinstance(row["project"], ox.NamedNode):
            continue
        granted, proposed = found.get(row["project"], (Decimal(0), Decimal(0)))
        if row["status"].value == ids + "funding-status/granted":
            granted += amount
        elif row["status"].value == ids + "funding-status/proposed":
            proposed += amount
        found[row["project"]] = (granted, proposed)
    return found


def ecosystem(graph: ReleaseGraph, lang: str = "fi") -> Network:
    """Projects and the organisations that take part in them, with the funding of each."""
    net = Network()
    roles = {graph.config.id_base + "role/" + r for r in LEADS}
    money = funding_of_projects(graph)
    leads: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for row in graph.select(f"""SELECT DISTINCT ?project ?org ?role WHERE {{
            ?m <{ORG}organization> ?project ; <{ORG}member> ?org . OPTIONAL {{ ?m <{ORG}role> ?role }} }}"""):
        project, org = row["project"], row["org"]
        if not (isinstance(project, ox.NamedNode) and isinstance(org, ox.NamedNode)):
            continue
        net.node(project, "project").links.add(org)
        net.node(org, "organisation").links.add(project)
        if "role" in row and row["role"].value in roles:
            leads.setdefault(org, set()).add(project)
    for project in graph.instances(ORG + "OrganizationalCollaboration"):
        net.node(project, "project")
    for node in net.nodes.values():
        if node.kind == "project":
            node.granted, node.proposed = money.get(node.iri, (Decimal(0), Decimal(0)))
    for org, projects in leads.items():
        node = net.nodes[org]
        node.granted = sum((net.nodes[p].granted for p in projects), Decimal(0))
        node.proposed = sum((net.nodes[p].proposed for p in projects), Decimal(0))
    for node in net.nodes.values():
        node.label = graph.label(node.iri, lang).text
    if len(net.nodes) > MAX_NODES:   # keep the best funded, then the best connected
        keep = sorted(net.nodes.values(), key=lambda n: (-n.granted, -len(n.links), n.iri.value))[:MAX_NODES]
        kept = {n.iri for n in keep}
        net.left_out = len(net.nodes) - len(kept)
        net.nodes = {iri: n for iri, n in net.nodes.items() if iri in kept}
        for n in net.nodes.values():
            n.links &= kept
    return net


def circle_order(net: Network) -> list[Node]:
    """Organisations with the most projects first, each followed by its projects not yet placed."""
    placed: list[Node] = []
    seen: set[ox.NamedNode] = set()
    orgs = sorted((n for n in net.nodes.values() if n.kind == "organisation"),
                  key=lambda n: (-len(n.links), -n.granted, n.label.casefold(), n.iri.value))
    for org in orgs:
        placed.append(org)
        seen.add(org.iri)
        projects = sorted((net.nodes[p] for p in org.links if p not in seen and p in net.nodes),
                          key=lambda n: (-n.granted, n.label.casefold(), n.iri.value))
        for project in projects:
            placed.append(project)
            seen.add(project.iri)
    placed += sorted((n for n in net.nodes.values() if n.iri not in seen),
                     key=lambda n: (-n.granted, n.label.casefold(), n.iri.value))
    return placed


def svg_open(width: float, height: float, title: str, desc: str, ident: str) -> list[str]:
    return [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="{ident}-title {ident}-desc" {FONT}>'),
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>',
            f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']


def link_open(site: Site, iri: ox.NamedNode, prefix: str) -> str:
    target = site.target(iri.value)
    return f"<a href={quoteattr(prefix + target)}>" if target else "<a>"


def tooltip(node: Node, lang: str) -> str:
    text = f"{node.label} ({pick(KIND_NAMES[node.kind], lang)})"
    parts = []
    if node.granted:
        parts.append(f"{pick(TEXT['granted'], lang)} {euros(node.granted, lang)}")
    if node.proposed:
        parts.append(f"{pick(TEXT['proposed'], lang)} {euros(node.proposed, lang)}")
    return text + (": " + ", ".join(parts) if parts else "")


def ecosystem_svg(graph: ReleaseGraph, lang: str, site: Site | None = None, prefix: str = "") -> str:
    """The network diagram as an SVG document; links are ``prefix`` + the page's release path."""
    site = site or Site(graph)
    net = ecosystem(graph, lang)
    order = circle_order(net)
    lines = {node.iri: wrap(node.label, LABEL_CHARS) for node in order}
    arcs = [max(15.0, LINE_HEIGHT * len(lines[node.iri]) + 4) for node in order]   # pixels of circle each
    total = sum(arcs) or 1.0
    radius = max(220.0, total / (2 * math.pi))
    label_room = max((text_width(lines[n.iri], 11, n.kind == "organisation") for n in order), default=0.0) + 40
    size = 2 * (radius + label_room) + 40
    cx = cy = size / 2
    top = max((n.granted for n in order), default=Decimal(0))
    pos: dict[ox.NamedNode, tuple[float, float, float]] = {}
    walked = 0.0
    for node, arc in zip(order, arcs):
        angle = -math.pi / 2 + 2 * math.pi * (walked + arc / 2) / total
        walked += arc
        pos[node.iri] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    out = svg_open(size, size + 30, pick(TEXT["eco_title"], lang), pick(TEXT["eco_desc"], lang), "ecosystem")
    out.append(f'<g stroke="{COLOURS["edge"]}" stroke-opacity="0.55" fill="none" stroke-width="1">')
    edges = sorted({tuple(sorted((a.iri.value, b.value))) for a in order for b in a.links if b in pos})
    for a, b in edges:
        (x1, y1, _), (x2, y2, _) = pos[ox.NamedNode(a)], pos[ox.NamedNode(b)]
        qx, qy = cx + ((x1 + x2) / 2 - cx) * 0.35, cy + ((y1 + y2) / 2 - cy) * 0.35
        out.append(f'<path d="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}"/>')
    out.append("</g>")
    for node in order:
        x, y, angle = pos[node.iri]
        r = 3.5 + (11.0 * math.sqrt(float(node.granted / top)) if top else 0.0)
        degrees = math.degrees(angle)
        flip = 90 < (degrees % 360) < 270
        lx, ly = x + math.cos(angle) * (r + 5), y + math.sin(angle) * (r + 5)
        rotate = degrees + 180 if flip else degrees
        out.append(link_open(site, node.iri, prefix) + f"<title>{escape(tooltip(node, lang))}</title>")
        stroke = f' stroke="{COLOURS["proposed"]}" stroke-width="2"' if node.proposed and not node.granted else \
            ' stroke="#ffffff" stroke-width="1"'
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{COLOURS[node.kind]}"{stroke}/>')
        weight = ' font-weight="700"' if node.kind == "organisation" else ""
        label = lines[node.iri]
        out.append(f'<text x="{lx:.1f}" y="{ly:.1f}" transform="rotate({rotate:.1f} {lx:.1f} {ly:.1f})" '
                   f'text-anchor="{"end" if flip else "start"}" dominant-baseline="middle" font-size="11"{weight} '
                   f'fill="#1d2733">{tspans(label, lx, LINE_HEIGHT, -LINE_HEIGHT * (len(label) - 1) / 2, flip)}</text></a>')
    legend_y = size + 8
    out.append('<g font-size="13" fill="#1d2733">')
    x = 20.0
    for kind in ("organisation", "project"):
        out.append(f'<circle cx="{x + 7:.0f}" cy="{legend_y:.0f}" r="7" fill="{COLOURS[kind]}"/>'
                   f'<text x="{x + 20:.0f}" y="{legend_y + 5:.0f}">{escape(pick(KIND_NAMES[kind], lang))}</text>')
        x += 150
    out.append(f'<circle cx="{x + 7:.0f}" cy="{legend_y:.0f}" r="6" fill="#ffffff" stroke="{COLOURS["proposed"]}" '
               f'stroke-width="2"/><text x="{x + 20:.0f}" y="{legend_y + 5:.0f}">{escape(pick(TEXT["proposed"], lang))}</text>')
    x += 150
    out.append(f'<text x="{x:.0f}" y="{legend_y + 5:.0f}">{escape(pick(TEXT["size"], lang))}</text>')
    if net.left_out:
        out.append(f'<text x="{size - 20:.0f}" y="{legend_y + 5:.0f}" text-anchor="end">'
                   f'{escape(pick(TEXT["more"], lang).format(n=net.left_out))}</text>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Bar:
    """A project's row: its period when its sources give one (``start`` and ``end``), else none."""

    iri: ox.NamedNode
    label: str
    start: date | None
    end: date | None
    granted: bool


def periods(graph: ReleaseGraph, lang: str) -> tuple[list[Bar], int]:
    """Every project: those with a dated period first, first starting first, then those without,
    by name; and how many were left out."""
    status = graph.config.id_base + "funding-status/granted"
    granted = {r["p"] for r in graph.select(
        f"SELECT DISTINCT ?p WHERE {{ ?f <{FRAPO}funds> ?p ; <{ADMS}status> <{status}> }}")}
    dated: dict[ox.NamedNode, tuple[date, date]] = {}
    for row in graph.select(f"""SELECT DISTINCT ?x ?start ?end WHERE {{
            ?x a <{ORG}OrganizationalCollaboration> ; <{DCTERMS}temporal> ?period .
            ?period <{DCAT}startDate> ?start ; <{DCAT}endDate> ?end }}"""):
        try:
            begin, finish = date.fromisoformat(row["start"].value[:10]), date.fromisoformat(row["end"].value[:10])
        except ValueError:
            continue
        if isinstance(row["x"], ox.NamedNode) and finish >= begin and row["x"] not in dated:
            dated[row["x"]] = (begin, finish)
    found = []
    for project in graph.instances(ORG + "OrganizationalCollaboration"):
        if isinstance(project, ox.NamedNode):
            start, end = dated.get(project, (None, None))
            found.append(Bar(project, graph.label(project, lang).text, start, end, project in granted))
    found.sort(key=lambda b: (b.start is None, b.start or date.min, b.end or date.min, b.label.casefold(),
                              b.iri.value))
    return found[:MAX_BARS], max(0, len(found) - MAX_BARS)


def month_after(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def timeline_svg(graph: ReleaseGraph, lang: str, site: Site | None = None, prefix: str = "") -> str:
    """The projects' periods as horizontal bars on a month or year axis, each a link."""
    site = site or Site(graph)
    items, left_out = periods(graph, lang)
    left, right, top, line = 340, 170, 60, 14
    width = 1200
    labels = [wrap(bar.label, ROW_CHARS) for bar in items]
    rows = [max(26, line * len(lines) + 12) for lines in labels]
    height = top + sum(rows) + 60
    out = svg_open(width, height, pick(TEXT["time_title"], lang), pick(TEXT["time_desc"], lang), "timeline")
    if not items:
        out.append(f'<text x="20" y="{top}" font-size="14">{escape(pick(TEXT["none"], lang))}</text></svg>')
        return "\n".join(out) + "\n"
    starts = [b.start for b in items if b.start]
    ends = [b.end for b in items if b.end]
    first = date(min(starts).year, min(starts).month, 1) if starts else date.min
    last = month_after(max(ends)) if ends else date.min
    span = (last - first).days or 1

    def x(day: date) -> float:
        return left + (width - left - right) * (day - first).days / span

    months = []   # none when no project has a period: no axis then
    cursor = first
    while starts and cursor <= last:
        months.append(cursor)
        cursor = month_after(cursor)
    step = 1 if len(months) <= 24 else 3 if len(months) <= 48 else 12
    ticks = [m for m in months if (m.month - 1) % step == 0] if step > 1 else months
    axis_y = top + sum(rows) + 8
    out.append('<g font-size="11" fill="#5b6673" stroke="#d8dee6">')
    for month in ticks:
        out.append(f'<line x1="{x(month):.1f}" y1="{top - 10}" x2="{x(month):.1f}" y2="{axis_y}"/>')
        text = str(month.year) if step == 12 or month.month == 1 else f"{month.month}/{month.year}"
        out.append(f'<text x="{x(month):.1f}" y="{axis_y + 16}" text-anchor="middle" stroke="none">{text}</text>')
    out.append("</g>")
    y = top
    for bar, lines, row in zip(items, labels, rows):
        colour = COLOURS["project"] if bar.granted else COLOURS["edge"]
        when = (f"{bar.start.isoformat()} – {bar.end.isoformat()}" if bar.start and bar.end
                else pick(TEXT["no_period"], lang))
        middle = y + row / 2
        out.append(link_open(site, bar.iri, prefix) + f"<title>{escape(bar.label)}: {escape(when)}</title>")
        out.append(f'<text x="{left - 10}" y="{middle + 4 - line * (len(lines) - 1) / 2:.1f}" text-anchor="end" '
                   f'font-size="12" fill="#1d2733">{tspans(lines, left - 10, line, 0, end=True)}</text>')
        if bar.start and bar.end:
            w = max(2.0, x(bar.end) - x(bar.start))
            out.append(f'<rect x="{x(bar.start):.1f}" y="{middle - 8.5:.1f}" width="{w:.1f}" height="17" rx="3" '
                       f'fill="{colour}"/>')
            out.append(f'<text x="{x(bar.start) + w + 6:.1f}" y="{middle + 4:.1f}" font-size="10" fill="#5b6673">'
                       f'{escape(when)}</text></a>')
        else:
            out.append(f'<text x="{left + 6}" y="{middle + 4:.1f}" font-size="10" font-style="italic" '
                       f'fill="#5b6673">{escape(when)}</text></a>')
        y += row
    legend_y = axis_y + 38
    out.append(f'<g font-size="12" fill="#1d2733"><rect x="20" y="{legend_y - 10}" width="24" height="12" rx="3" '
               f'fill="{COLOURS["project"]}"/><text x="50" y="{legend_y}">{escape(pick(TEXT["granted"], lang))}</text>'
               f'<rect x="160" y="{legend_y - 10}" width="24" height="12" rx="3" fill="{COLOURS["edge"]}"/>'
               f'<text x="190" y="{legend_y}">{escape(pick(TEXT["no_grant"], lang))}</text>')
    if left_out:
        out.append(f'<text x="{width - 20}" y="{legend_y}" text-anchor="end">'
                   f'{escape(pick(TEXT["more"], lang).format(n=left_out))}</text>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def write_pictures(graph: ReleaseGraph, folder: Path) -> dict[str, dict[str, str]]:
    """``img/ecosystem.svg`` and ``img/timeline.svg`` (Finnish) and ``*.en.svg`` (English), whose
    links lead up from ``img/`` to the pages; returns the SVG text by picture and language for the
    landing pages at the release's root, with links from there."""
    (folder / "img").mkdir(parents=True, exist_ok=True)
    site = Site(graph)
    drawn: dict[str, dict[str, str]] = {"ecosystem": {}, "timeline": {}}
    for lang in ("fi", "en"):
        suffix = "" if lang == "fi" else ".en"
        for name, draw in (("ecosystem", ecosystem_svg), ("timeline", timeline_svg)):
            (folder / "img" / f"{name}{suffix}.svg").write_text(draw(graph, lang, site, "../"), encoding="utf-8")
            drawn[name][lang] = draw(graph, lang, site, "")
    return drawn
