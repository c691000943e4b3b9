"""The review report of a draft: what was linked, what is ambiguous, unlinked or proposed, as JSON and Markdown.

The report says where each mention is (locator label and character offsets)
and what it may name, so that a reviewer can accept or correct it; it holds
the short surface form of each mention, not the text around it.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from graph.ingest.analysis import Analysis
from graph.ingest.document import DocumentInfo
from graph.ingest.gazetteer import ID, Gazetteer
from graph.ingest.linking import STATUSES
from graph.ingest.turtle import locator_label


def review(info: DocumentInfo, analysis: Analysis, gazetteer: Gazetteer, source: dict[str, Any]) -> dict[str, Any]:
    """The report as data (the JSON file's content)."""
    labels = {s.key: locator_label(info, s) for s in analysis.segmentation.segments}
    by_status: dict[str, list[dict[str, Any]]] = {status: [] for status in STATUSES}
    for mention in analysis.mentions:
        by_status[mention.status].append(
            {
                "locator": labels.get(mention.locator, mention.locator),
                "iri": f"{ID}{info.path}/{mention.locator}",
                "start": mention.start,
                "end": mention.end,
                "text": mention.text,
                "kind": mention.kind,
                "how": mention.how,
                "confidence": mention.confidence,
                "candidates": [{"iri": node, "label": gazetteer.labels.get(node, "")} for node in mention.nodes],
            }
        )
    segments = Counter(s.kind for s in analysis.segmentation.segments)
    return {
        "document": {"symbol": info.symbol, "iri": ID + info.path, "title": info.title, "date": info.date, "kind": info.kind},
        "graph": info.graph,
        "source": source,
        "status": "draft: extracted, not reviewed",
        "locators": {kind: segments.get(kind, 0) for kind in ("section", "heading", "paragraph", "footnote")},
        "footnote_markers": len(analysis.segmentation.marker_offsets),
        "mentions": {status: len(items) for status, items in by_status.items()},
        **by_status,
    }


def review_json(report: dict[str, Any]) -> str:
    """The report as the JSON file holds it (sorted keys: the same draft gives the same bytes)."""
    return json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def review_markdown(report: dict[str, Any]) -> str:
    """The report for people: counts, then one table per state of mention."""
    document = report["document"]
    lines = [
        f"# Review of the draft of {document['symbol']}",
        "",
        f"Extracted from `{report['source']['name']}` ({report['source']['format']}); named graph `{report['graph']}`.",
        "Nothing in the draft is curated: accept, correct or drop each mention before anything enters `data/`.",
        "",
        "| locators | " + " | ".join(report["locators"]) + " | footnote markers |",
        "|---|" + "---|" * (len(report["locators"]) + 1),
        "| found | " + " | ".join(str(n) for n in report["locators"].values()) + f" | {report['footnote_markers']} |",
        "",
        "| mentions | " + " | ".join(report["mentions"]) + " |",
        "|---|" + "---|" * len(report["mentions"]),
        "| count | " + " | ".join(str(n) for n in report["mentions"].values()) + " |",
    ]
    for status in STATUSES:
        items = report[status]
        lines += ["", f"## {status.capitalize()} ({len(items)})", ""]
        if not items:
            lines.append("None.")
            continue
        lines += ["| locator | offsets | mention | kind | candidates | confidence |", "|---|---|---|---|---|---|"]
        for item in items:
            candidates = ", ".join(f"`{c['iri'].removeprefix(ID)}`" for c in item["candidates"]) or "—"
            lines.append(
                f"| {_cell(item['locator'])} | {item['start']}–{item['end']} | {_cell(item['text'])} | {item['kind']} "
                f"| {candidates} | {item['confidence']:.2f} |"
            )
    return "\n".join(lines) + "\n"


__all__ = ["review", "review_json", "review_markdown"]
