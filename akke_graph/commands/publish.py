"""``akke-graph publish``."""

from __future__ import annotations

from pathlib import Path

import click

from akke_graph.commands.options import Checked, lang_option, project_config, store_option
from akke_graph.config import normalise_base
from akke_graph.publish.release import check_version
from akke_graph.store_spec import StoreSpec

DONE = {"fi": "Julkaisu {version} kirjoitettu kansioon {out}: {files} tiedostoa, {triples} kolmikkoa, {seconds:.2f} s.",
        "en": "Release {version} written to {out}: {files} files, {triples} triples, {seconds:.2f} s."}


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Release folder (default: the project's release folder, dist/). Written whole or not at all.")
@click.option("--base-iri", default=None, metavar="IRI", type=Checked("IRI", normalise_base),
              help="Re-base every own IRI onto this base (e.g. https://data.example.fi/akke/) in every output.")
@click.option("--version", "version", default=None, metavar="V", type=Checked("V", check_version),
              help="Version of the release (default: today's date, YYYY-MM-DD).")
@click.option("--previous", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              metavar="DIR", help="An earlier release: write CHANGES.md and changes/added.nt, removed.nt against it.")
@click.option("--without-persons", is_flag=True,
              help="Leave persons and their names out of every output (the organisations' roles stay).")
@click.option("--dumps-only", is_flag=True,
              help="Only the data: dumps, catalog.ttl, ontology and shapes, mappings, checksums and "
                   "release.json; no HTML, entity pages, pictures or landing pages (fast on large graphs).")
@click.option("--source-date-epoch", "epoch", type=click.IntRange(0, 253402300799), default=None,
              envvar="SOURCE_DATE_EPOCH", show_envvar=True, metavar="SECONDS",
              help="The release's time as seconds since 1970 (reproducible builds: two releases of "
                   "the same graph at the same time are identical); default: now.")
@store_option
@lang_option
def publish(out: Path | None, base_iri: str | None, version: str | None, previous: Path | None,
            without_persons: bool, dumps_only: bool, epoch: int | None, store_spec: StoreSpec,
            lang: str) -> None:
    """Validate the graph and write an open-data release.

    The release folder holds the dumps (Turtle, N-Triples, JSON-LD, TriG), SHA256SUMS, a DCAT-AP 3
    description (catalog.ttl), an HTML page and RDF files for every entity, the ontology and
    shapes, the canned queries, the registry mappings, pictures, and server snippets for content
    negotiation. Nothing is written when the graph does not conform (exit 1).
    """
    import signal
    from datetime import datetime, timezone

    from akke_graph.publish.build import publish as run_publish
    from akke_graph.publish.release import STEPS, PublishOptions


    def progress(step: str, index: int, total: int, seconds: float) -> None:
        label = STEPS[step][0 if lang == "fi" else 1]
        click.echo(f"  [{index:2}/{total}] {label} … {seconds:.2f} s", err=True)

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)   # unwinds, so the temporary folder is removed

    signal.signal(signal.SIGTERM, terminate)
    options = PublishOptions(out=out, base_iri=base_iri, version=version, previous=previous,
                             without_persons=without_persons, dumps_only=dumps_only, store=store_spec,
                             lang=lang, released_at=None if epoch is None else
                             datetime.fromtimestamp(epoch, tz=timezone.utc))
    result = run_publish(project_config(), options, progress)
    click.echo(DONE[lang].format(version=result.version, out=result.out, files=result.files,
                                 triples=result.triples, seconds=result.seconds))
