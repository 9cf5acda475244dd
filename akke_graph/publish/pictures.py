"""Pictures drawn from the graph at publish time, as plain SVG (no plotting library, no fonts to
fetch, no JavaScript): the ecosystem as a network around each project, and the timeline of the
periods the graph knows.

The network is laid out in rings: the project in the centre, its work packages and funding around
it, and the organisations, persons and themes on the outer ring, each placed near the work
packages it is linked to. The layout depends only on the graph, so the same graph always gives
the same picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pyoxigraph as ox

from akke_graph.publish.model import ReleaseGraph
from akke_graph.terms import DCAT, DCTERMS, FOAF, FRAPO, ORG, PROV, SKOS

AKKE_WP = "WorkPackage"
MAX_PROJECTS = 3
MAX_PERIODS = 40   # a national graph has thousands of projects: the timeline shows the first ones
COLOURS = {  # Okabe–Ito, readable with colour-vision deficiencies
    "project": "#0072B2", "work-package": "#56B4E9", "funding": "#D55E00",
    "organisation": "#009E73", "person": "#CC79A7", "theme": "#E69F00"}
KIND_NAMES = {
    "project": ("hanke", "project"), "work-package": ("työpaketti", "work package"),
    "funding": ("rahoitus", "funding"), "organisation": ("organisaatio", "organisation"),
    "person": ("henkilö", "person"), "theme": ("teema", "theme")}
TEXT = {
    "eco_title": ("Hankkeen ekosysteemi", "The project's ecosystem"),
    "eco_desc": ("Verkostokuva: hanke, sen työpaketit, rahoitus, organisaatiot, henkilöt ja teemat.",
                 "Network diagram: the project, its work packages, funding, organisations, persons and themes."),
    "time_title": ("Aikajana", "Timeline"),
    "time_desc": ("Tietoverkon ajanjaksot janoina.", "The periods of the graph as bars."),
}
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "fi" else pair[1]


def short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


@dataclass
class Network:
    nodes: dict[ox.NamedNode, str] = field(default_factory=dict)          # node -> kind
    edges: set[tuple[ox.NamedNode, ox.NamedNode]] = field(default_factory=set)

    def add(self, a: ox.NamedNode, kind_a: str, b: object = None, kind_b: str | None = None) -> None:
        self.nodes.setdefault(a, kind_a)
        if isinstance(b, ox.NamedNode) and kind_b:
            self.nodes.setdefault(b, kind_b)
            self.edges.add((a, b) if a.value <= b.value else (b, a))


def agent_kind(graph: ReleaseGraph, agent: ox.NamedNode) -> str:
    return "person" if FOAF + "Person" in graph.types(agent) else "organisation"


def ecosystem(graph: ReleaseGraph) -> Network:
    """The projects and everything the picture shows around them."""
    net = Network()
    wp_class = graph.config.ontology_ns + AKKE_WP
    for project in graph.instances(ORG + "OrganizationalCollaboration")[:MAX_PROJECTS]:
        net.add(project, "project")
        wp_themes: set[object] = set()
        for membership, prop in graph.incoming(project):
            if prop == ORG + "organization":
                for member in graph.objects(membership, ORG + "member"):
                    net.add(project, "project", member, "organisation")
            if prop == DCTERMS + "isPartOf" and isinstance(membership, ox.NamedNode) and wp_class in graph.types(membership):
                net.add(project, "project", membership, "work-package")
                for theme in graph.objects(membership, DCAT + "theme"):
                    net.add(membership, "work-package", theme, "theme")
                    wp_themes.add(theme)
                for assoc in graph.objects(membership, PROV + "qualifiedAssociation"):
                    for agent in graph.objects(assoc, PROV + "agent"):
                        if isinstance(agent, ox.NamedNode):
                            net.add(membership, "work-package", agent, agent_kind(graph, agent))
        for theme in graph.objects(project, DCAT + "theme"):
            if theme not in wp_themes:  # themes of its work packages are drawn through them
                net.add(project, "project", theme, "theme")
        for grant in graph.objects(project, FRAPO + "isFundedBy"):
            if not isinstance(grant, ox.NamedNode):
                continue
            net.add(project, "project", grant, "funding")
            for programme in graph.objects(grant, DCTERMS + "isPartOf"):
                if not isinstance(programme, ox.NamedNode):
                    continue
                net.add(grant, "funding", programme, "funding")
                for funder in graph.objects(programme, FRAPO + "isFundedBy"):
                    net.add(programme, "funding", funder, "organisation")
            for attribution in graph.objects(grant, PROV + "qualifiedAttribution"):
                for agent in graph.objects(attribution, PROV + "agent"):
                    if isinstance(agent, ox.NamedNode):
                        net.add(grant, "funding", agent, agent_kind(graph, agent))
    for node, kind in list(net.nodes.items()):
        if kind == "person":
            for org in graph.objects(node, ORG + "memberOf"):
                if org in net.nodes:
                    net.add(node, "person", org, "organisation")
    return net


def spread(wanted: list[float], gap: float) -> list[float]:
    """Angles as close to ``wanted`` (sorted) as possible but at least ``gap`` apart."""
    if not wanted:
        return []
    gap = min(gap, 2 * math.pi / len(wanted))
    out = [wanted[0]]
    for angle in wanted[1:]:
        out.append(max(angle, out[-1] + gap))
    overflow = out[-1] - (out[0] + 2 * math.pi - gap)
    if overflow > 0:
        out = [a - overflow * i / max(1, len(out) - 1) for i, a in enumerate(out)]
    return out


def layout(graph: ReleaseGraph, net: Network, cx: float, cy: float, r1: float, r2: float) -> dict[ox.NamedNode, tuple[float, float, float]]:
    """Node -> (x, y, angle)."""
    neighbours: dict[ox.NamedNode, set[ox.NamedNode]] = {n: set() for n in net.nodes}
    for a, b in net.edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    pos: dict[ox.NamedNode, tuple[float, float, float]] = {}
    centre = [n for n, k in net.nodes.items() if k == "project"]
    for i, node in enumerate(centre):
        angle = 2 * math.pi * i / len(centre)
        r = 0 if len(centre) == 1 else 60
        pos[node] = (cx + r * math.cos(angle), cy + r * math.sin(angle), angle)

    def order(node: ox.NamedNode) -> tuple:
        notation = graph.value(node, SKOS + "notation")
        return (net.nodes[node] != "work-package", int(notation.value) if notation is not None and notation.value.isdigit() else 0, node.value)

    inner = sorted((n for n, k in net.nodes.items() if k in ("work-package", "funding")), key=order)
    for i, node in enumerate(inner):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(inner))
        pos[node] = (cx + r1 * math.cos(angle), cy + r1 * math.sin(angle), angle)
    outer = [n for n, k in net.nodes.items() if k in ("organisation", "person", "theme")]
    wanted = {}
    for node in outer:
        anchors = [pos[m][2] for m in neighbours[node] if m in pos and net.nodes[m] != "project"]
        if anchors:
            wanted[node] = math.atan2(sum(map(math.sin, anchors)), sum(map(math.cos, anchors))) % (2 * math.pi)
        else:
            wanted[node] = 0.0
    ring = sorted(outer, key=lambda n: (wanted[n], net.nodes[n], n.value))
    for node, angle in zip(ring, spread([wanted[n] for n in ring], gap=0.16)):
        pos[node] = (cx + r2 * math.cos(angle), cy + r2 * math.sin(angle), angle)
    return pos


def svg_open(width: int, height: int, title: str, desc: str, ident: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-labelledby="{ident}-title {ident}-desc" {FONT}>',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>',
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>']


def ecosystem_svg(graph: ReleaseGraph, lang: str) -> str:
    """The network diagram as an SVG document."""
    net = ecosystem(graph)
    width, height, r1, r2 = 1200, 880, 170, 365
    cx, cy = width / 2, height / 2 + 20
    pos = layout(graph, net, cx, cy, r1, r2)
    out = svg_open(width, height, pick(TEXT["eco_title"], lang), pick(TEXT["eco_desc"], lang), "ecosystem")
    out.append('<g stroke="#9aa5b1" stroke-opacity="0.7" fill="none" stroke-width="1.2">')
    for a, b in sorted(net.edges, key=lambda e: (e[0].value, e[1].value)):
        (x1, y1, _), (x2, y2, _) = pos[a], pos[b]
        if net.nodes[a] in ("organisation", "person", "theme") and net.nodes[b] in ("organisation", "person", "theme"):
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            qx, qy = cx + (mx - cx) * 0.55, cy + (my - cy) * 0.55
            out.append(f'<path d="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}" stroke-dasharray="4 3"/>')
        else:
            out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    out.append("</g>")
    for node in sorted(net.nodes, key=lambda n: n.value):
        kind = net.nodes[node]
        x, y, angle = pos[node]
        label = graph.label(node, lang).text
        radius = {"project": 16, "work-package": 11, "funding": 11}.get(kind, 8)
        out.append(f'<g><title>{escape(label)} ({escape(pick(KIND_NAMES[kind], lang))})</title>')
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{COLOURS[kind]}" stroke="#ffffff" stroke-width="1.5"/>')
        if kind == "project":
            acronym = graph.value(node, FRAPO + "hasAcronym")
            text = acronym.value if acronym is not None else short(label, 20)
            out.append(f'<text x="{x:.1f}" y="{y - 22:.1f}" text-anchor="middle" font-size="16" font-weight="700" fill="#1d2733">{escape(text)}</text>')
        elif kind in ("work-package", "funding"):
            notation = graph.value(node, SKOS + "notation")
            text = (f"{notation.value} " if notation is not None else "") + short(label, 24)
            dx, dy = math.cos(angle) * 16, math.sin(angle) * 16
            anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
            out.append(f'<text x="{x + dx:.1f}" y="{y + dy + 4:.1f}" text-anchor="{anchor}" font-size="12" fill="#1d2733">{escape(text)}</text>')
        else:
            dx, dy = math.cos(angle) * 13, math.sin(angle) * 13
            anchor = "start" if math.cos(angle) >= 0 else "end"
            out.append(f'<text x="{x + dx:.1f}" y="{y + dy + 4:.1f}" text-anchor="{anchor}" font-size="12" fill="#1d2733">{escape(short(label))}</text>')
        out.append("</g>")
    out.append('<g font-size="13" fill="#1d2733">')
    for i, kind in enumerate(k for k in COLOURS if k in set(net.nodes.values())):
        out.append(f'<circle cx="24" cy="{28 + i * 22}" r="7" fill="{COLOURS[kind]}"/>'
                   f'<text x="38" y="{33 + i * 22}">{escape(pick(KIND_NAMES[kind], lang))}</text>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def periods(graph: ReleaseGraph, lang: str) -> list[tuple[str, date, date]]:
    """(label of the thing, start, end) for everything with a dated ``dcterms:temporal``."""
    found = []
    for row in graph.select(f"""SELECT ?x ?start ?end WHERE {{
            ?x <{DCTERMS}temporal> ?period . ?period <{DCAT}startDate> ?start ; <{DCAT}endDate> ?end }}
            ORDER BY ?x LIMIT {MAX_PERIODS}"""):
        try:
            begin, finish = date.fromisoformat(row["start"].value[:10]), date.fromisoformat(row["end"].value[:10])
        except ValueError:
            continue
        found.append((graph.label(row["x"], lang).text, begin, finish))
    return sorted(found, key=lambda p: (p[1], p[2], p[0]))


def timeline_svg(graph: ReleaseGraph, lang: str) -> str:
    """The periods as horizontal bars on a month axis."""
    items = periods(graph, lang)
    left, right, top, row = 330, 40, 60, 34
    width = 1000
    height = top + row * max(1, len(items)) + 50
    out = svg_open(width, height, pick(TEXT["time_title"], lang), pick(TEXT["time_desc"], lang), "timeline")
    if not items:
        out.append(f'<text x="20" y="{top}" font-size="14">–</text></svg>')
        return "\n".join(out) + "\n"
    first = date(min(p[1] for p in items).year, min(p[1] for p in items).month, 1)
    last_end = max(p[2] for p in items)
    last = date(last_end.year + (last_end.month == 12), last_end.month % 12 + 1, 1)
    span = (last - first).days or 1

    def x(day: date) -> float:
        return left + (width - left - right) * (day - first).days / span

    months = []
    cursor = first
    while cursor <= last:
        months.append(cursor)
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    step = 1 if len(months) <= 24 else 12
    axis_y = top + row * len(items) + 8
    out.append('<g font-size="11" fill="#5b6673" stroke="#d8dee6">')
    for month in months[::step]:
        out.append(f'<line x1="{x(month):.1f}" y1="{top - 10}" x2="{x(month):.1f}" y2="{axis_y}"/>')
        text = f"{month.month}/{month.year}" if step == 1 else str(month.year)
        out.append(f'<text x="{x(month):.1f}" y="{axis_y + 16}" text-anchor="middle" stroke="none">{text}</text>')
    out.append("</g>")
    for i, (label, begin, finish) in enumerate(items):
        y = top + i * row
        out.append(f'<g><title>{escape(label)}: {begin.isoformat()} – {finish.isoformat()}</title>')
        out.append(f'<text x="{left - 10}" y="{y + 17}" text-anchor="end" font-size="13" fill="#1d2733">{escape(short(label, 44))}</text>')
        out.append(f'<rect x="{x(begin):.1f}" y="{y + 4}" width="{max(2.0, x(finish) - x(begin)):.1f}" height="{row - 12}" rx="4" fill="{COLOURS["project"]}"/>')
        out.append(f'<text x="{x(begin) + 6:.1f}" y="{y + 17}" font-size="11" fill="#ffffff">{begin.isoformat()} – {finish.isoformat()}</text></g>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_pictures(graph: ReleaseGraph, folder: Path) -> dict[str, dict[str, str]]:
    """``img/ecosystem.svg`` and ``img/timeline.svg`` (Finnish) and ``*.en.svg`` (English);
    returns the SVG text by picture and language for embedding in the landing pages."""
    (folder / "img").mkdir(parents=True, exist_ok=True)
    drawn: dict[str, dict[str, str]] = {"ecosystem": {}, "timeline": {}}
    for lang in ("fi", "en"):
        suffix = "" if lang == "fi" else ".en"
        for name, draw in (("ecosystem", ecosystem_svg), ("timeline", timeline_svg)):
            text = draw(graph, lang)
            drawn[name][lang] = text
            (folder / "img" / f"{name}{suffix}.svg").write_text(text, encoding="utf-8")
    return drawn
