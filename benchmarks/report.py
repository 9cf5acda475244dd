"""The suite's figures as people read them: the tables of ``benchmarks/README.md`` (between its
``figures`` markers) and a plot of time and memory against size for both pipelines."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

START, END = "<!-- figures:start -->", "<!-- figures:end -->"
TARGETS = {"pipeline_s": 20.0, "pipeline_mib": 1536.0, "pipeline_ratio": 10.0, "validation_s": 10.0,
           "shipped_s": 1.0, "help_s": 0.3}   # the canned queries' targets are per kind: benchmarks.kinds


def secs(value: float | None, bound: float | None = None, timed_out: bool = False) -> str:
    if timed_out:
        return f"> {bound:.0f} s" if bound else "stopped"
    if value is None:
        return "–"
    if value < 0.1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def mib(result: dict) -> str:
    value = result.get("peak_mib")
    if value is None or result.get("skipped"):
        return "–"
    return f"{value:.0f} MiB" if value < 1024 else f"{value / 1024:.2f} GiB"


def ratio(plain: float | None, mine: float | None, plain_timed_out: bool, bound: float) -> str:
    if mine is None or mine <= 0:
        return "–"
    if plain_timed_out:
        return f"> {bound / mine:.0f}×"
    if plain is None:
        return "–"
    return f"{plain / mine:.0f}×" if plain / mine >= 10 else f"{plain / mine:.1f}×"


def plain_cell(bench: dict) -> str:
    plain = bench["plain"]
    if plain.get("skipped") and not plain.get("timed_out"):
        return "not run"
    note = f" ({plain['skipped']})" if plain.get("skipped") else ""
    runs = plain.get("runs")
    n = f" (n={runs})" if runs and runs == 1 and not plain.get("timed_out") else ""
    return secs(bench["plain_seconds"], bench["timeout"], bool(plain.get("timed_out"))) + note + n


def size_table(results: dict) -> list[str]:
    lines = ["| measure | triples | akke-graph | whole process | peak RSS | plain rdflib + pyshacl | plain peak RSS | ratio |",
             "|---|---|---|---|---|---|---|---|"]
    for size, fig in results["sizes"].items():
        for name, bench in fig["benches"].items():
            if name == "queries":
                continue
            mine = bench["project"]
            if mine.get("failed"):
                lines.append(f"| {bench['title']} | {size} | failed (exit {mine.get('code')}) | | | | | |")
                continue
            timed = bool(bench["plain"].get("timed_out"))
            bound = bench.get("project_timeout", bench["timeout"])
            if mine.get("timed_out"):
                step = whole = f"> {bound:.0f} s" + (f" ({mine['skipped']})" if mine.get("skipped") else "")
            else:
                step, whole = secs(bench["project_seconds"]), secs(mine.get("wall"))
            lines.append(
                f"| {bench['title']} | {fig['triples']:,} | {step} | {whole} | {mib(mine)} "
                f"| {plain_cell(bench)} | {mib(bench['plain'])} "
                f"| {ratio(bench['plain_seconds'], bench['project_seconds'], timed, bench['timeout'])} |")
    return lines


def query_cell(bench: dict, side: str, name: str, kind: str = "query") -> str:
    result = bench[side]
    step = result.get("steps", result.get("partial_steps", {})).get(f"{kind} {name}")
    if step and "error" in step:
        return "error"
    if step:
        return secs(step["p50"])
    if f"{kind} {name}" in result.get("stopped", []):
        return f"> {result['limit']} s"
    if result.get("timed_out"):
        return f"not reached in {bench['timeout']:.0f} s"
    return "not run" if result.get("skipped") or side == "plain" else "–"


def query_names(results: dict) -> list[str]:
    names: list[str] = []
    for fig in results["sizes"].values():
        bench = fig["benches"].get("queries")
        for side in ("project", "plain"):
            result = bench[side] if bench else {}
            for step in [*result.get("steps", result.get("partial_steps", {})), *result.get("stopped", [])]:
                if step.startswith("query ") and step[6:] not in names:
                    names.append(step[6:])
    return sorted(names)


def query_p50(results: dict, size: str) -> tuple[dict[str, float], list[str]]:
    """The canned queries' warm p50 at one size, and those stopped at the time limit."""
    result = results["sizes"].get(size, {}).get("benches", {}).get("queries", {}).get("project", {})
    steps = result.get("steps", result.get("partial_steps", {}))
    p50 = {k[6:]: v.get("p50", float("inf")) for k, v in steps.items() if k.startswith("query ")}
    return p50, [n[6:] for n in result.get("stopped", [])]


def query_table(results: dict) -> list[str]:
    """Each canned query by size, with its kind, its kind's target and whether 1M met it."""
    from benchmarks.kinds import KINDS, target_of

    sizes = [s for s, f in results["sizes"].items() if "queries" in f["benches"]]
    if not sizes:
        return []
    p50, _ = query_p50(results, "1m")
    lines = ["| query | kind | target | " + " | ".join(f"akke-graph {s} | plain {s}" for s in sizes)
             + " | met at 1m |", "|---|---|---|" + "---|---|" * len(sizes) + "---|"]
    for name in query_names(results):
        cells = [query_cell(results["sizes"][s]["benches"]["queries"], side, name)
                 for s in sizes for side in ("project", "plain")]
        target = target_of(name)
        met = "–" if target is None or name not in p50 else "yes" if p50[name] <= target else "no"
        lines.append(f"| {name} | {KINDS.get(name, '–')} | {secs(target) if target else '–'} | "
                     + " | ".join(cells) + f" | {met} |")
    return lines


def floor_table(results: dict) -> list[str]:
    """The engine floors (``benchmarks.tasks.FLOORS``) timed beside the queries, by size."""
    from benchmarks.tasks import FLOORS

    sizes = [s for s, f in results["sizes"].items()
             if any(k.startswith("floor ") for k in f["benches"].get("queries", {}).get("project", {}).get("steps", {}))]
    if not sizes:
        return []
    lines = ["| read (one COUNT query) | " + " | ".join(sizes) + " | what must read it |",
             "|---|" + "---|" * len(sizes) + "---|"]
    for slug, (what, _, bounds) in FLOORS.items():
        cells = [query_cell(results["sizes"][s]["benches"]["queries"], "project", slug, "floor") for s in sizes]
        lines.append(f"| {what} | " + " | ".join(cells) + f" | {bounds} |")
    return lines


def target_rows(results: dict) -> list[str]:
    sizes = results["sizes"]
    rows = ["| measure | target | measured | met |", "|---|---|---|---|"]

    def row(measure: str, target: str, measured: str, met: bool | None) -> None:
        rows.append(f"| {measure} | {target} | {measured} | {'–' if met is None else 'yes' if met else 'no'} |")

    big = sizes.get("1m", {}).get("benches", {})
    if "pipeline" in big:
        b = big["pipeline"]
        s, m = b["project_seconds"], b["project"].get("peak_mib")
        faster = (b["plain"].get("timed_out") and s and b["timeout"] / s >= 10) or (
            b["plain_seconds"] and s and b["plain_seconds"] / s >= 10)
        row("`validate` + publish dumps, 1M, whole process", "≤ 20 s, ≤ 1.5 GB, ≥ 10× plain",
            f"{secs(s)}, {mib(b['project'])}, {ratio(b['plain_seconds'], s, bool(b['plain'].get('timed_out')), b['timeout'])}",
            bool(s and m and s <= TARGETS["pipeline_s"] and m <= TARGETS["pipeline_mib"] and faster))
    if "validation" in big:
        s = big["validation"]["project_seconds"]
        row("validation alone, 1M (identical results to pyshacl: tests/scale, differential test)", "≤ 10 s",
            secs(s), bool(s is not None and s <= TARGETS["validation_s"]))
    if "queries" in big:
        from benchmarks.kinds import KINDS, TARGETS as KIND_TARGETS

        p50, slow = query_p50(results, "1m")
        names = query_names({"sizes": {"1m": sizes["1m"]}})
        for kind, (target, what) in KIND_TARGETS.items():
            mine = [n for n in names if KINDS.get(n) == kind]
            within = sorted(n for n in mine if p50.get(n, float("inf")) <= target)
            over = sorted((n for n in mine if n in p50 and n not in within), key=lambda n: -p50[n])
            text = f"{len(within)} of {len(mine)} within"
            if within:
                text += f" (slowest {secs(max(p50[n] for n in within))})"
            if over:
                text += "; over: " + ", ".join(f"{n} {secs(p50[n])}" for n in over)
            stopped = [n for n in mine if n in slow]
            if stopped:
                text += f"; stopped after {big['queries']['project']['limit']} s: " + ", ".join(stopped)
            row(f"{what}, 1M, warm p50", f"≤ {secs(target)} each", text, bool(mine) and len(within) == len(mine))
        unkinded = [n for n in names if n not in KINDS]
        if unkinded:
            row("canned queries of no kind (benchmarks/kinds.py)", "a kind each", ", ".join(unkinded), False)
        counted = big["queries"]["project"].get("steps", {}).get("statistics")
        if counted:
            row("statistics counted at load (triples per graph, entities per class), 1M", "one pass, reported",
                secs(counted["seconds"]), None)
    shipped = results.get("shipped", {})
    if "validate" in shipped:
        s = shipped["validate"].get("wall")
        cli = shipped.get("validate-pyshacl-cli", {}).get("wall")
        row("`akke-graph validate` on the shipped data, whole process", "≤ 1.0 s",
            f"{secs(s)} (pyshacl command line on the same graph: {secs(cli)})", bool(s and s <= TARGETS["shipped_s"]))
    if "help" in shipped:
        s = shipped["help"].get("wall")
        row("`akke-graph --help`", "≤ 0.3 s",
            f"{secs(s)} (pyshacl --help: {secs(shipped.get('help-pyshacl-cli', {}).get('wall'))})",
            bool(s and s <= TARGETS["help_s"]))
    huge = sizes.get("5m", {}).get("benches", {})
    if "pipeline" in huge:
        b = huge["pipeline"]
        done = not (b["project"].get("timed_out") or b["project"].get("failed"))
        row("5M triples: validate + publish dumps completes", "report time and memory",
            f"{sizes['5m']['triples']:,} triples: {secs(b['project_seconds'])}, {mib(b['project'])}", done)
    return rows


def carried_benches(results: dict) -> list[str]:
    """One line per earlier run whose figures of some benches (not of whole sizes) are carried
    over into this report."""
    runs: dict[tuple, list[str]] = {}
    for label, figures in results["sizes"].items():
        if "measured" in figures:
            continue
        for name, bench in figures["benches"].items():
            if "measured" in bench:
                m = bench["measured"]
                runs.setdefault((m["date"], m["commit"], m.get("repeat")), []).append(f"{name} at {label}")
    if "shipped_measured" in results:
        m = results["shipped_measured"]
        runs.setdefault((m["date"], m["commit"], m.get("repeat")), []).append("the shipped data and start-up")
    return [f"Figures of {', '.join(what)} are carried over from the run of {date} (commit {commit}, "
            f"medians of {repeat})." for (date, commit, repeat), what in runs.items()]


def markdown(results: dict) -> str:
    m = results["machine"]
    v = m["versions"]
    lines = [
        f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores, {m['memory_gib']} GiB, {m['os']}), shared "
        f"with other work (load average {m['load_average'][0]} at the start, "
        f"{m.get('load_average_end', ['?'])[0]} at the end). Python {m['python']}, akke-graph {v['akke-graph']} "
        f"(commit {m['commit']}), rdflib {v['rdflib']}, pyshacl {v['pyshacl']}, pyoxigraph {v['pyoxigraph']}. "
        f"Medians of {results['repeat']} fresh processes per measure (plain runs slower than "
        f"{results.get('slow', 60):.0f} s run once: n=1); runs stopped at {results['timeout']:.0f} s. Synthetic graphs of seed {results['seed']}.",
        *[f"Figures of {label} are carried over from the run of {s['measured']['date']} (commit "
          f"{s['measured']['commit']}, medians of {s['measured']['repeat']})." for label, s in results["sizes"].items()
          if "measured" in s],
        *carried_benches(results),
        "", "### Targets", "", *target_rows(results),
        "", "### By size", "",
        "\"akke-graph\" is the compared step (parse, validation, dumps) or the whole process; the ratio "
        "compares it with the same step of the plain way.", "", *size_table(results)]
    shipped = results.get("shipped", {})
    if shipped:
        lines += ["", "### Shipped data and start-up", "", "| command | median | peak RSS |", "|---|---|---|"]
        names = {"validate": "akke-graph validate", "validate-pyshacl-cli": "pyshacl -s shapes -a data (same graph)",
                 "help": "akke-graph --help", "help-pyshacl-cli": "pyshacl --help"}
        for key, text in names.items():
            if key in shipped:
                lines.append(f"| `{text}` | {secs(shipped[key].get('wall'))} | {mib(shipped[key])} |")
    queries = query_table(results)
    if queries:
        lines += ["", "### Canned queries (warm p50; plain: rdflib on the same graph, median of up to 3)", "", *queries]
    floors = floor_table(results)
    if floors:
        lines += ["", "### Engine floors (warm p50, in the same process as the canned queries)", "",
                  "What Oxigraph takes, in akke-graph's store, only to read the rows that some canned queries "
                  "cannot do without: each is one `COUNT(*)` query, so one row comes back.", "", *floors]
    lines += ["", "![time and memory against size](plot.png)"]
    return "\n".join(lines)


def update_readme(readme: Path, results: dict) -> None:
    """Replace the text between the figures markers, written whole (temp file + rename)."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme} has no {START} … {END} markers")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    write_whole(readme, f"{before}{START}\n{markdown(results)}\n{END}{after}".encode("utf-8"))


def write_whole(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def plot(results: dict, path: Path) -> None:
    """Time and peak memory against size, both pipelines; stopped plain runs drawn at their bound."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    fig, (ax_time, ax_mem) = plt.subplots(1, 2, figsize=(11, 4.5))
    styles = {"pipeline": "-", "validation": "--", "parse": ":"}
    markers = {"pipeline": "o", "validation": "s", "parse": "d"}
    for name, style in styles.items():
        for side, colour, who in (("project", "tab:blue", "akke-graph"), ("plain", "tab:orange", "rdflib + pyshacl")):
            xs, ys, stopped_x, stopped_y = [], [], [], []
            for fig_size in sizes.values():
                bench = fig_size["benches"].get(name)
                if not bench:
                    continue
                value = bench[f"{side}_seconds"]
                if value is not None:
                    xs.append(fig_size["triples"])
                    ys.append(value)
                elif bench[side].get("timed_out") and not bench[side].get("skipped"):
                    stopped_x.append(fig_size["triples"])
                    stopped_y.append(bench["timeout"])
            if xs:
                ax_time.plot(xs, ys, style, marker=markers[name], color=colour, label=f"{name}, {who}")
            if stopped_x:
                ax_time.plot(stopped_x, stopped_y, "^", color=colour, markersize=10,
                             label=f"{name}, {who}: stopped at {stopped_y[0]:.0f} s")
        for side, colour, who in (("project", "tab:blue", "akke-graph"), ("plain", "tab:orange", "rdflib + pyshacl")):
            pts = [(f["triples"], f["benches"][name][side]["peak_mib"]) for f in sizes.values()
                   if name in f["benches"] and f["benches"][name][side].get("peak_mib")
                   and not f["benches"][name][side].get("skipped")]
            if pts and name in ("pipeline", "parse"):
                ax_mem.plot(*zip(*pts), styles[name], marker=markers[name], color=colour, label=f"{name}, {who}")
    ax_time.set(xscale="log", yscale="log", xlabel="triples", ylabel="seconds",
                title="time (pipeline: whole process; others: the step)")
    ax_mem.set(xscale="log", yscale="log", xlabel="triples", ylabel="peak RSS, MiB", title="peak memory")
    for ax in (ax_time, ax_mem):
        ax.grid(True, which="both", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    fig.tight_layout()
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".png", dir=path.parent)
    os.close(fd)
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    os.replace(tmp, path)
