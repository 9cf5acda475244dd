"""``akke-graph publish``: validate, then fill a release folder step by step — dumps, catalogue,
pages, ontology and shapes, queries, mappings, pictures, changes, landing pages, a final check,
checksums and manifest — built whole beside the old one and swapped in (:mod:`.release`)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from akke_graph import __version__
from akke_graph.config import Config, normalise_base
from akke_graph.errors import InputError, PublishError
from akke_graph.load import LoadedGraph, rdf_files
from akke_graph.publish.authority import CC_BY, frequency
from akke_graph.publish.catalog import ReleaseInfo, file_kind, write_catalog
from akke_graph.publish.checksums import SUMS, digest_files, release_files, write_sha256sums
from akke_graph.publish.dumps import CONTEXT_PATH, DUMPS, ntriples, write_dumps
from akke_graph.publish.index_page import Download, write_index_pages
from akke_graph.publish.jobs import Beside
from akke_graph.publish.model import ReleaseGraph
from akke_graph.publish.ontology_doc import write_ontology_doc
from akke_graph.publish.pages import kinds, write_entity_pages, write_server_config
from akke_graph.publish.pictures import write_pictures
from akke_graph.rebase import Rebaser, copy_rebased, shipped
from akke_graph.publish.release import (MANIFEST, STEPS, Progress, PublishOptions, PublishResult, Run,
                                        check_target, check_version, clean_stale, now_utc,
                                        read_manifest, swap_into_place)
from akke_graph.publish.site import Site
from akke_graph.publish.void import VoidStatistics, void_statistics

MAPPINGS_PATH = "mappings/akke-graph.sssom.tsv"
PAGE_STEPS = ("pages", "queries", "pictures", "index")   # left out by ``--dumps-only``


def note(text: str) -> None:
    print(f"akke-graph: note: {text}", file=sys.stderr)


class ReleaseWriter:
    """Writes every part of one release into ``folder`` (a temporary folder)."""

    def __init__(self, graph: ReleaseGraph, folder: Path, options: PublishOptions, previous: Path | None,
                 now: datetime, run: Run) -> None:
        self.graph, self.folder, self.options, self.previous, self.run = graph, folder, options, previous, run
        before = read_manifest(previous) if previous else {}
        self.previous_version = before.get("version")
        stamp = now.isoformat().replace("+00:00", "Z")
        self.info = ReleaseInfo(version=options.version or now.date().isoformat(),
                                issued=before.get("issued") or now.date().isoformat(),
                                modified=stamp, without_persons=options.without_persons)
        self.notes: list[str] = []
        self.has_queries = self._queries_available()
        sections = ("ontology", *(("queries",) if self.has_queries else ()), "catalog")
        self.site = Site(graph, sections=sections)
        self.digests: dict[str, tuple[int, str]] = {}
        self.entities: list = []
        self.pictures: dict[str, dict[str, str]] = {}
        self.extra: list[Download] = []
        self.statistics: Beside[VoidStatistics] | None = None
        self.catalog_triples: list[ox.Triple] = []

    def skip(self, text: str) -> None:
        self.notes.append(text)
        note(text)

    def _queries_available(self) -> bool:
        try:
            import akke_graph.query.catalogue  # noqa: F401
        except ImportError:
            self.skip("the canned-query module is not installed: queries/ is left out of the release")
            return False
        if not rdf_query_files(self.graph.config.queries_dir):
            self.skip(f"no queries in {self.graph.config.display_path(self.graph.config.queries_dir)}: "
                      "queries/ is left out of the release")
            return False
        return True

    # --- steps ---------------------------------------------------------------------------------

    def dumps(self) -> None:
        self.statistics = Beside(void_statistics, self.graph)   # the catalogue's counts, meanwhile
        write_dumps(self.graph, self.folder, self.info.version)
        self.digests.update(digest_files(self.folder, [f.path for f in DUMPS]))

    def catalog(self) -> None:
        """After the ontology, shapes and mappings: they are distributions too (with checksums)."""
        offered = [d.path for d in self.extra if file_kind(d.path) is not None]
        self.digests.update(digest_files(self.folder, offered))
        from akke_graph.publish.catalog_page import write_catalog_jsonld

        self.catalog_triples, gaps = write_catalog(self.graph, self.info, self.folder, self.digests,
                                                   self.statistics.result() if self.statistics else None)
        write_catalog_jsonld(self.graph, self.catalog_triples, self.folder)
        for gap in gaps:
            self.skip(gap)

    def pages(self) -> None:
        from akke_graph.publish.search_index import write_search_index

        self.entities = write_entity_pages(self.graph, self.folder, self.site)
        write_server_config(self.graph, self.folder)
        write_search_index(self.graph, self.folder)

    def ontology(self) -> None:
        config = self.graph.config
        # As read into the project (shipped base -> configured base), then as the release moves.
        moves = (shipped(self.graph.rebaser.old), self.graph.rebaser)
        for path in rdf_files(config.ontology_dir):
            copy_rebased(path, self.folder / "ontology" / path.name, *moves)
            self.extra.append(Download(f"ontology/{path.name}", {"fi": "ontologia", "en": "ontology"}))
        for path in rdf_files(config.shapes_dir):
            copy_rebased(path, self.folder / "shapes" / path.name, *moves)
            self.extra.append(Download(f"shapes/{path.name}", {"fi": "SHACL-muodot", "en": "SHACL shapes"}))
        if not self.options.dumps_only:
            write_ontology_doc(self.graph, self.site, self.folder)

    def queries(self) -> None:
        if not self.has_queries:
            return
        from akke_graph.publish.queries_page import write_queries

        write_queries(self.graph, self.site, self.folder)
        self.extra.append(Download("queries/queries.ttl", {"fi": "valmiit kyselyt RDF:nä", "en": "canned queries as RDF"}))
        self.extra.append(Download("queries/grlc/README.md", {"fi": "valmiit kyselyt grlc:lle (web-rajapinnaksi)",
                                                              "en": "the canned queries for grlc (as a web API)"}))

    def mappings(self) -> None:
        try:
            from akke_graph.link.export import mappings_sssom
        except ImportError:
            self.skip("the linking module is not installed: mappings/ is left out of the release")
            return
        graph = self.graph
        view = LoadedGraph(config=graph.config, store=graph.store, files=graph.files)
        # The release graph and its configuration are re-based already: moving the text again
        # would move a base that extends the old one twice.
        text = mappings_sssom(view, mapping_set_id=graph.base + "mappings", version=self.info.version)
        target = self.folder / MAPPINGS_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.extra.append(Download(MAPPINGS_PATH, {"fi": "linkitykset rekistereihin (SSSOM)",
                                                   "en": "links to registries (SSSOM)"}))

    def draw(self) -> None:
        self.pictures = write_pictures(self.graph, self.folder)

    def changes(self) -> None:
        if self.previous is None:
            return
        from akke_graph.publish.diff import diff_triples, read_triples, write_changes

        removed = self.graph.removed
        redact = None
        if removed is not None and removed.iris:
            traces = removed.traces()
            redact = lambda line: any(t in line for t in traces)  # noqa: E731
        before = read_triples(self.previous)
        previous_base = read_manifest(self.previous).get("base_iri") or self.graph.rebaser.old
        moved = Rebaser(previous_base, self.graph.base)
        if moved.active:  # compare content, not the move of every IRI onto the new base
            before = [ox.Triple(q.subject, q.predicate, q.object)
                      for q in ox.parse(moved.data(ntriples(before)), format=ox.RdfFormat.N_TRIPLES)]
        diff = diff_triples(before, list(self.graph.triples()), redact=redact)
        write_changes(diff, self.folder, self.previous_version or self.previous.name, self.info.version)
        self.extra += [Download("CHANGES.md", {"fi": "muutokset edelliseen julkaisuun", "en": "changes since the previous release"}),
                       Download("changes/added.nt", {"fi": "lisätyt kolmikot", "en": "triples added"}),
                       Download("changes/removed.nt", {"fi": "poistetut kolmikot", "en": "triples removed"})]

    def index(self) -> None:
        downloads = [Download(f.path, {"fi": f"koko tietoverkko, {f.name}", "en": f"the whole graph, {f.name}"},
                              *self.digests[f.path]) for f in DUMPS]
        downloads += [Download(CONTEXT_PATH, {"fi": "JSON-LD-konteksti", "en": "JSON-LD context"}),
                      Download("catalog.ttl", {"fi": "aineistokuvaus (DCAT-AP 3, VoID)", "en": "dataset description (DCAT-AP 3, VoID)"}),
                      Download("catalog.jsonld", {"fi": "aineistokuvaus JSON-LD-muodossa", "en": "dataset description as JSON-LD"}),
                      *self.extra,
                      Download(MANIFEST, {"fi": "julkaisun tiedot", "en": "release manifest"}),
                      Download(SUMS, {"fi": "tarkistussummat", "en": "checksums"})]
        from akke_graph.publish.catalog_page import write_catalog_page

        write_catalog_page(self.graph, self.site, self.folder, self.catalog_triples)
        write_index_pages(self.graph, self.site, self.folder, self.info, downloads, kinds(self.entities), self.pictures,
                          self.catalog_triples)

    def check(self) -> None:
        """Every RDF file but the dumps and the entity documents parses (those are written by
        the serialiser, the dumps' headers as comments); nothing of the old base IRI, and nothing of a removed person, is
        left in any file."""
        self._check_parses()
        rebaser, removed = self.graph.rebaser, self.graph.removed
        pattern = removed.pattern() if removed is not None else None
        if pattern is None and not rebaser.active:
            return
        for rel in release_files(self.folder):
            data = (self.folder / rel).read_bytes()
            left = rebaser.leftovers(data)
            if left:
                raise PublishError(f"{rel} still contains the old base IRI {left[0]} after re-basing",
                                   hint="this is a bug in akke-graph: please report it; nothing was published")
            found = pattern.search(data.decode("utf-8", errors="replace")) if pattern else None
            if found:
                raise PublishError(f"{rel} still mentions a removed person ({found.group(0)!r})",
                                   hint="this is a bug in akke-graph: please report it; nothing was published")

    def _check_parses(self) -> None:
        formats = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
                   ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}
        for rel in release_files(self.folder):
            path = self.folder / rel
            if path.suffix not in formats or rel.startswith(("dumps/", "id/")):
                continue
            try:
                for _ in ox.parse(path=str(path), format=formats[path.suffix]):
                    pass
            except (SyntaxError, ValueError) as exc:
                raise PublishError(f"{rel} does not parse: {exc}",
                                   hint="this is a bug in akke-graph: please report it; nothing was published")

    def checksums(self) -> None:
        paths = [p for p in release_files(self.folder) if p not in (MANIFEST, SUMS)]
        digests = digest_files(self.folder, paths)
        (self.folder / MANIFEST).write_text(self.manifest(digests), encoding="utf-8")
        digests.update(digest_files(self.folder, [MANIFEST]))
        write_sha256sums(self.folder, digests)
        self.file_count = len(digests) + 1

    def manifest(self, digests: dict[str, tuple[int, str]]) -> str:
        """The machine-readable ``release.json`` (timings of the steps so far included)."""
        info = self.info
        return json.dumps({
            "name": "akke-graph", "version": info.version, "base_iri": self.graph.base,
            "generated_at": info.modified, "issued": info.issued, "previous_version": self.previous_version,
            "without_persons": info.without_persons, "dumps_only": self.options.dumps_only, "licence": CC_BY,
            "publisher": self.graph.config.publisher, "generator": f"akke-graph {__version__}",
            "triples": len(self.graph),
            "files": [{"path": p, "bytes": size, "sha256": sha} for p, (size, sha) in sorted(digests.items())],
            "steps": dict(self.run.timings),
        }, ensure_ascii=False, indent=2) + "\n"

    def write(self) -> int:
        """Run every step (with ``dumps_only``, none of :data:`PAGE_STEPS`); returns the number of
        files written."""
        for name, action in (("dumps", self.dumps), ("pages", self.pages),
                             ("ontology", self.ontology), ("queries", self.queries), ("mappings", self.mappings),
                             ("catalog", self.catalog), ("pictures", self.draw), ("changes", self.changes), ("index", self.index),
                             ("check", self.check), ("checksums", self.checksums)):
            if not (self.options.dumps_only and name in PAGE_STEPS):
                self.run.step(name, action)
        return self.file_count


def rdf_query_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.rq")) if folder.is_dir() else []


def planned_steps(options: PublishOptions) -> list[str]:
    """The steps this run takes, in order (a dumps-only release skips every page and picture)."""
    return [s for s in STEPS if not (options.dumps_only and s in PAGE_STEPS)]


def publish(config: Config, options: PublishOptions, progress: Progress | None = None) -> PublishResult:
    """Validate the project's graph and write the release (see the module docstring)."""
    from akke_graph.load import load
    from akke_graph.publish.model import build_release_graph
    from akke_graph.shacl.validate import require_conformant

    out = (options.out or config.release_dir).resolve()
    check_target(config, out)
    if options.base_iri:
        normalise_base(options.base_iri)   # a bad IRI is an error before anything is loaded
    if options.version is not None:
        check_version(options.version)
    frequency(config.update_frequency)   # a bad update-frequency too: not after the pages are written
    previous = options.previous.resolve() if options.previous else None
    if previous is not None:
        from akke_graph.publish.diff import release_dump

        if not previous.is_dir():
            raise InputError(str(options.previous), "--previous must be the folder of an earlier release")
        release_dump(previous)   # an earlier release has its dumps: say so now, not after the work
    tmp = _temporary_folder(out)   # before the work: a folder that cannot be written fails now
    try:
        run = Run(progress, planned_steps(options))
        loaded = run.step("load", lambda: load(config, store=options.store))
        validate = lambda: require_conformant(loaded)  # noqa: E731
        # On Oxigraph the validation's queries leave the interpreter free, so the dumps are
        # written meanwhile — when preparing changes nothing the validation sees (only blank-node
        # labels).
        beside = loaded.store.parallel_queries and not options.base_iri and not options.without_persons
        if not beside:
            run.step("validate", validate)
        graph = run.step("prepare", lambda: build_release_graph(
            loaded, base_iri=options.base_iri, without_persons=options.without_persons,
            revalidate=lambda changed: require_conformant(changed)))
        if beside:
            run.meanwhile("validate", validate)
        writer = ReleaseWriter(graph, tmp, options, previous, options.released_at or now_utc(), run)
        files = writer.write()
        run.step("swap", lambda: swap_into_place(tmp, out))
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        raise PublishError(f"writing the release failed: {exc.strerror or exc}{where}",
                           hint=f"nothing was replaced: {out} is as it was; free some space or fix "
                                "the permissions and run again") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PublishResult(out=out, version=writer.info.version, triples=len(graph), files=files,
                         timings=dict(run.timings), notes=writer.notes)


def _temporary_folder(out: Path) -> Path:
    """A fresh hidden folder beside ``out`` (stale ones of killed runs removed first)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out)
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
    except OSError as exc:
        raise PublishError(f"cannot write the release into {out.parent}: {exc.strerror or exc}",
                           hint="choose an --out in a folder you can write") from None
    return tmp
