"""Measure ingest on the five source texts against the curated data.

Segmentation: the paragraph, footnote and heading locators ingest finds in
each source, against the locators the curated data declare for that document
(paragraphs and footnotes by IRI, which follow one pattern; headings by their
text, where a passage cited by its opening words matches a locator whose text
begins with them; numbered sections by IRI, reported apart; a heading the
curators also type ``skg:Section``, in a document whose unnumbered headings
are its structure, is measured once, as a heading). Precision is given twice:
against the curated locators alone, and counting as right a locator the
curators did not cite but that the committed locator index holds with the
same text hash (a real locator of the document, cut at the same place).

Linking: the (node, locator) pairs of the mentions ingest links to one node,
against the curated ``skg:mentionedIn`` and ``skg:Identification`` pairs of
the same document (the locator names the node, or a footnote identifies it),
per kind of node. A pair matches when the nodes are equal (or one is a
version of the other, ``skg:versionOf``) and the locators are equal or one is
a sub-paragraph of the other. Recall is over those curated mentions. The
``skg:describedIn`` pairs (the locator speaks of the node without naming it)
are not in the recall: they are counted apart, per document and kind, with
how many of them the linker found anyway. Precision counts a link as right
when it matches a curated mention, a described-in pair (the passage does
speak of that node, by the curated fact) or a fact the curators derived from
that very locator: the node itself is ``prov:wasDerivedFrom`` the locator, or
a node derived from it links straight to the node (a practice's
``rdfs:seeAlso`` to the report the passage cites). "Precision (mentions)"
leaves the derived facts out.

Run: .venv/bin/python bench/ingest_eval.py [--sources ../shared/sources] [--json out.json] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from graph.backends.oxigraph import OxigraphStore  # noqa: E402
from graph.ingest.analysis import analyse  # noqa: E402
from graph.ingest.gazetteer import KINDS, gazetteer_of, kind_of  # noqa: E402
from graph.ingest.linking import Linker  # noqa: E402
from graph.loader import content_sources, load_sources  # noqa: E402
from graph.locator_index import SOURCE_FILES, heading_key, load_index  # noqa: E402
from graph.locator_reading import heading_title, text_hash  # noqa: E402
from graph.store import select  # noqa: E402

LOCATORS = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?locator ?class ?heading WHERE {
  ?locator dcterms:isPartOf ?doc ; a ?class .
  VALUES ?class { skg:Paragraph skg:Footnote skg:Heading skg:Section }
  OPTIONAL { ?locator skg:headingText ?heading }
} ORDER BY ?locator"""
PAIRS = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?node ?locator WHERE {
  { ?node skg:mentionedIn ?locator } UNION { ?i skg:identifiedActor ?node ; prov:wasDerivedFrom ?locator }
  ?locator dcterms:isPartOf ?doc .
}"""
DESCRIBED = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?node ?locator WHERE { ?node skg:describedIn ?locator . ?locator dcterms:isPartOf ?doc . }"""
ATTESTED = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?node ?locator WHERE {
  ?locator dcterms:isPartOf ?doc .
  { ?node prov:wasDerivedFrom ?locator } UNION { ?fact prov:wasDerivedFrom ?locator ; ?property ?node FILTER(isIRI(?node)) }
}"""
VERSIONS = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
SELECT ?version ?work WHERE { ?version skg:versionOf ?work }"""
KIND = {"Paragraph": "paragraph", "Footnote": "footnote", "Heading": "heading", "Section": "section"}


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _heading_match(found: str, curated: str) -> bool:
    found, curated = heading_title(found), heading_title(curated)
    return found == curated or found.startswith(curated) or curated.startswith(found)


def curated_locators(store: OxigraphStore, doc: str) -> dict[str, dict[str, str]]:
    """Kind -> {IRI: heading text or ''} of the locators the curated data declare for a document."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in select(store, LOCATORS, {"doc": ("uri", doc)}):
        kind = KIND[row["class"]["value"].rsplit("#", 1)[1]]
        found[kind][row["locator"]["value"]] = row.get("heading", {}).get("value", "")
    for iri in set(found.get("heading", {})) & set(found.get("section", {})):
        del found["section"][iri]  # an unnumbered heading the curators also type as a section is measured once, as a heading
    return found


def segmentation_scores(analysis: Any, doc: str, curated: dict[str, dict[str, str]], index: dict[str, Any]) -> dict[str, Any]:
    """Recall and precision per kind of locator, and the map from found heading IRIs to curated ones."""
    scores: dict[str, Any] = {}
    same: dict[str, str] = {}
    entry = index["documents"].get(doc, {})
    for kind in ("paragraph", "footnote", "heading", "section"):
        found = analysis.segmentation.of_kind(kind)
        if kind == "heading" and not found:  # a numbered document's headings are its sections
            found = analysis.segmentation.of_kind("section")
        wanted = curated.get(kind, {})
        hits, real = set(), 0
        for segment in found:
            iri = f"{doc}/{segment.key}"
            if kind == "heading":
                match = next((c for c, text in sorted(wanted.items()) if _heading_match(segment.title, text)), None)
            else:
                match = iri if iri in wanted else None
            if match:
                hits.add(match)
                same[iri] = match
            else:
                real += _in_index(entry, kind, segment)
        if kind == "heading" and analysis.segmentation.numbered:
            found = analysis.segmentation.of_kind("heading")  # the sections are measured as sections
        matched = len([s for s in found if f"{doc}/{s.key}" in same])
        scores[kind] = {
            "curated": len(wanted),
            "found": len(found),
            "recall": _ratio(len(hits), len(wanted)),
            "precision": _ratio(matched, len(found)),
            "precision_index": _ratio(matched + real, len(found)),
            "missed": sorted(set(wanted) - hits),
        }
    return {"kinds": scores, "same": same}


def _in_index(entry: dict[str, Any], kind: str, segment: Any) -> int:
    if kind in ("paragraph", "footnote"):
        number = segment.number.replace(" ", "")
        return int(entry.get(f"{kind}s", {}).get(number) == text_hash(segment.text))
    if kind == "heading":
        key = heading_key(segment.title)
        return int(key in entry.get("headings", {}) or key in entry.get("openings", {}))
    return 0


def _parent(locator: str) -> str:
    head, _, tail = locator.rpartition("/")
    return head if len(tail) == 1 and tail.isalpha() and "/para/" in locator else locator


def _same_node(a: str, b: str, works: dict[str, str]) -> bool:
    return a == b or works.get(a) == b or works.get(b) == a


def _same_locator(a: str, b: str) -> bool:
    return a == b or _parent(a) == b or _parent(b) == a


def _matches(pair: tuple[str, str], pairs: set[tuple[str, str]], works: dict[str, str]) -> bool:
    return any(_same_node(pair[0], p[0], works) and _same_locator(pair[1], p[1]) for p in pairs)


def linking_scores(
    analysis: Any,
    doc: str,
    truth: set[tuple[str, str]],
    same: dict[str, str],
    attested: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
    works: dict[str, str] | None = None,
    described: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Precision and recall of the linked (node, locator) pairs, per kind of node (see the module's description)."""
    works = works or {}
    found = {(m.nodes[0], same.get(f"{doc}/{m.locator}", f"{doc}/{m.locator}")) for m in analysis.by_status("linked")}
    scores: dict[str, Any] = {}
    for kind in (*KINDS, "all"):
        wanted = {p for p in truth if kind in ("all", kind_of(p[0]))}
        spoken = {p for p in described if kind in ("all", kind_of(p[0]))}
        got = {p for p in found if kind in ("all", kind_of(p[0]))}
        strict = {p for p in got if _matches(p, wanted, works) or _matches(p, spoken, works)}
        right = {p for p in got if p in strict or _matches(p, attested, works)}
        covered = {w for w in wanted if _matches(w, got, works)}
        only = {d for d in spoken if not _matches(d, wanted, works)}
        anyway = {d for d in only if _matches(d, got, works)}
        if wanted or got or only:
            scores[kind] = {
                "curated": len(wanted),
                "linked": len(got),
                "precision": _ratio(len(right), len(got)),
                "precision_mentions": _ratio(len(strict), len(got)),
                "recall": _ratio(len(covered), len(wanted)),
                "described_only": len(only),
                "described_found": len(anyway),
                "false": sorted(got - right),
                "attested": sorted(right - strict),
                "described": sorted(p for p in got if not _matches(p, wanted, works) and _matches(p, spoken, works)),
                "missed": sorted(wanted - covered),
                "described_missed": sorted(only - anyway),
            }
    return scores


def evaluate(sources: Path) -> dict[str, Any]:
    store = OxigraphStore()
    load_sources(store, content_sources(REPOSITORY / "ontology", REPOSITORY / "data"))
    linker = Linker(gazetteer_of(store))
    index = load_index(REPOSITORY / "data" / "locator-index.json")
    works = {r["version"]["value"]: r["work"]["value"] for r in select(store, VERSIONS)}
    results: dict[str, Any] = {}
    for doc, name in SOURCE_FILES.items():
        analysis = analyse((sources / name).read_text(encoding="utf-8"), linker)
        curated = curated_locators(store, doc)
        segmentation = segmentation_scores(analysis, doc, curated, index)
        truth = {(r["node"]["value"], r["locator"]["value"]) for r in select(store, PAIRS, {"doc": ("uri", doc)})}
        truth = {p for p in truth if kind_of(p[0])}
        attested = {(r["node"]["value"], r["locator"]["value"]) for r in select(store, ATTESTED, {"doc": ("uri", doc)})}
        described = {(r["node"]["value"], r["locator"]["value"]) for r in select(store, DESCRIBED, {"doc": ("uri", doc)})}
        described = {p for p in described if kind_of(p[0])}
        statuses = {s: len(analysis.by_status(s)) for s in ("linked", "ambiguous", "proposed", "unlinked")}
        results[doc.rsplit("/", 1)[1]] = {
            "segmentation": segmentation["kinds"],
            "linking": linking_scores(analysis, doc, truth, segmentation["same"], attested, works, described),
            "mentions": statuses,
        }
    return results


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}"


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "| document | kind | curated | found | recall % | precision % | precision (index) % |",
        "|---|---|---|---|---|---|---|",
    ]
    for doc, result in results.items():
        for kind, s in result["segmentation"].items():
            if s["curated"] or s["found"]:
                lines.append(
                    f"| {doc} | {kind} | {s['curated']} | {s['found']} | {_pct(s['recall'])} | "
                    f"{_pct(s['precision'])} | {_pct(s['precision_index'])} |"
                )
    lines += [
        "",
        "| document | entity kind | curated pairs | linked pairs | precision % | precision (mentions) % | recall % |",
        "|---|---|---|---|---|---|---|",
    ]
    for doc, result in results.items():
        for kind, s in result["linking"].items():
            if s["curated"] or s["linked"]:
                lines.append(
                    f"| {doc} | {kind} | {s['curated']} | {s['linked']} | {_pct(s['precision'])} | "
                    f"{_pct(s['precision_mentions'])} | {_pct(s['recall'])} |"
                )
    lines += [
        "",
        "| document | entity kind | described-only pairs | found by the linker anyway |",
        "|---|---|---|---|",
    ]
    for doc, result in results.items():
        for kind, s in result["linking"].items():
            if s["described_only"]:
                lines.append(f"| {doc} | {kind} | {s['described_only']} | {s['described_found']} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=Path, default=REPOSITORY.parent / "shared" / "sources")
    parser.add_argument("--json", type=Path, help="write the full results (with misses and false links) here")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = parser.parse_args()
    if not args.sources.is_dir():
        print(f"source texts not found in {args.sources}", file=sys.stderr)
        return 2
    results = evaluate(args.sources)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(results) if args.markdown else json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
