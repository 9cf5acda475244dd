"""``akke-graph diff`` and ``publish --previous`` report exactly the triples added and removed, by
entity, for a constructed change — and nothing for an unchanged graph, blank nodes included."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.publish.diff import diff_paths


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

BASE = "https://w3id.org/akke/"
REMOVED = [  # two triples taken out of the shipped graph
    f'<{BASE}id/work-package/akke-turku-wp-5> <http://purl.org/dc/terms/title> "Digital service networks"@en .',
    f'<{BASE}id/organisation/turku-science-park> <http://www.w3.org/ns/regorg#legalName> "Turku Science Park Oy Ab" .',
]
ADDED = [  # and three put in
    f'<{BASE}id/organisation/turku-science-park> <http://www.w3.org/ns/regorg#legalName> "Turku Science Park Oy" .',
    f'<{BASE}id/theme/ict> <http://www.w3.org/2004/02/skos/core#altLabel> "ICT"@en .',
    f'<{BASE}id/project/akke-turku#grant> <http://www.w3.org/2000/01/rdf-schema#comment> "new"@en .',
]


def constructed_change(release: Path, tmp_path: Path) -> tuple[Path, Path, list[str]]:
    old_lines = (release / "dumps/akke-graph.nt").read_text(encoding="utf-8").splitlines()
    removed = [l for l in old_lines if l in REMOVED]
    assert len(removed) == 2, "the constructed change must remove triples that exist"
    new_lines = [l for l in old_lines if l not in removed] + ADDED
    old, new = tmp_path / "old.nt", tmp_path / "new.ttl"
    old.write_text("\n".join(old_lines) + "\n", encoding="utf-8")
    # The new side in another syntax, with fresh blank-node labels: neither may show as a change.
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse("\n".join(new_lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
    new.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"dcterms": "http://purl.org/dc/terms/"}))
    return old, new, removed


def test_diff_reports_exactly_the_constructed_change(release: Path, tmp_path: Path) -> None:
    old, new, removed = constructed_change(release, tmp_path)
    diff = diff_paths(old, new)
    assert sorted(diff.added) == sorted(ADDED)
    assert sorted(diff.removed) == sorted(removed)
    assert diff.entities == sorted({f"<{BASE}id/organisation/turku-science-park>", f"<{BASE}id/theme/ict>",
                                    f"<{BASE}id/project/akke-turku>", f"<{BASE}id/work-package/akke-turku-wp-5>"})


def test_diff_command_json_and_markdown(release: Path, tmp_path: Path, run_cli) -> None:
    old, new, removed = constructed_change(release, tmp_path)
    result = run_cli("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert sorted(data["added"]) == sorted(ADDED) and sorted(data["removed"]) == sorted(removed)
    assert data["entities"][f"<{BASE}id/project/akke-turku>"]["added"] == [ADDED[2]]
    result = run_cli("diff", str(old), str(new))
    assert result.exit_code == 0
    assert "## Turku Science Park Oy" in result.stdout and f"+ {ADDED[1]}" in result.stdout
    result = run_cli("diff", str(old), str(new), "--format", "nt")
    assert sorted(result.stdout.splitlines()) == sorted([f"+ {l}" for l in ADDED] + [f"- {l}" for l in removed])


def test_unchanged_graph_has_no_changes_blank_nodes_included(release: Path, tmp_path: Path, run_cli) -> None:
    assert any("_:" in l for l in (release / "dumps/akke-graph.nt").read_text(encoding="utf-8").splitlines())
    diff = diff_paths(release, release / "dumps/akke-graph.jsonld")
    assert diff.empty
    result = run_cli("diff", str(release), str(release / "dumps/akke-graph.trig"))
    assert result.exit_code == 0 and "No changes" in result.stdout


def test_publish_with_previous_writes_changes(release: Path, project_copy: Path, publish_into, tmp_path: Path) -> None:
    organisations = project_copy / "data/organisations.ttl"
    text = organisations.read_text(encoding="utf-8")
    organisations.write_text(text.replace('"Varsinais-Suomen liitto"@fi', '"Varsinais-Suomen liitto (maakuntaliitto)"@fi'),
                             encoding="utf-8")
    out = tmp_path / "dist"
    publish_into(project_copy, out, previous=release, version="1.1.0")
    changes = (out / "CHANGES.md").read_text(encoding="utf-8")
    assert changes.startswith("# Muutokset · Changes: 1.0.0 → 1.1.0")
    org = f"<{BASE}id/organisation/varsinais-suomen-liitto>"
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    added = [l for l in (out / "changes/added.nt").read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    removed = [l for l in (out / "changes/removed.nt").read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    assert added == [f'{org} {label} "Varsinais-Suomen liitto (maakuntaliitto)"@fi .']
    assert removed == [f'{org} {label} "Varsinais-Suomen liitto"@fi .']
    assert (out / "changes/added.nt").read_text(encoding="utf-8").startswith(f"# {org}\n")
    for name in ("added.nt", "removed.nt"):
        assert len(list(ox.parse(path=str(out / "changes" / name), format=ox.RdfFormat.N_TRIPLES))) == 1
    manifest = json.loads((out / "release.json").read_text(encoding="utf-8"))
    assert manifest["previous_version"] == "1.0.0"
    assert manifest["issued"] == json.loads((release / "release.json").read_text(encoding="utf-8"))["issued"]


def test_diff_errors_are_clear(tmp_path: Path, run_cli) -> None:
    folder = tmp_path / "not-a-release"
    folder.mkdir()
    result = run_cli("diff", str(folder), str(folder))
    assert result.exit_code == 2 and "not an akke-graph release" in result.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    result = run_cli("diff", str(broken), str(broken))
    assert result.exit_code == 2 and "broken.ttl:1" in result.stderr and "Traceback" not in result.stderr
