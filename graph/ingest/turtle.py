"""Write a draft as Turtle, by hand and in a fixed order, so that one file always gives the same bytes.

The draft holds the document, its locators with their text (``rdf:value``, as
a Web Annotation body holds its text: the text stays in the user's store,
never in the project), the footnotes each locator marks (``dcterms:references``),
one ``skg:Evidence`` annotation per mention that names a node (assertion
method *extracted*, a confidence, the locator and character offsets in its
text), and the nodes the extractor proposes, each with a caveat saying so.
Everything is tied to one ``prov:Activity``, the extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pycountry

from graph.countries import STATE_PREFIX
from graph.ingest.analysis import Analysis
from graph.ingest.document import DocumentInfo
from graph.ingest.gazetteer import ID
from graph.ingest.linking import Mention
from graph.ingest.segments import Segment

PREFIXES = (
    ("skg", "https://w3id.org/solidarity-kg/ontology#"),
    ("method", "https://w3id.org/solidarity-kg/vocab/assertion-method/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("oa", "http://www.w3.org/ns/oa#"),
)
CLASS = {"paragraph": "skg:Paragraph", "footnote": "skg:Footnote", "section": "skg:Section", "heading": "skg:Heading"}
PROPOSAL_CAVEAT = "Proposed by the extractor: the graph has no node with this IRI. Check it before any curated file uses it."


def literal(text: str, suffix: str = "") -> str:
    """A Turtle string literal.

    >>> literal('a "b"\\n', "@en")
    '"a \\\\"b\\\\"\\\\n"@en'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    escaped = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04X}", escaped)
    return f'"{escaped}"{suffix}'


def iri(value: str) -> str:
    """An IRI relative to the data's base where it can be."""
    return f"<{value.removeprefix(ID)}>"


def _node(subject: str, kind: str, pairs: Iterable[tuple[str, str]]) -> str:
    lines = [f"{subject} a {kind}"] + [f"    {p} {o}" for p, o in pairs]
    return " ;\n".join(lines) + " .\n"


def locator_label(info: DocumentInfo, segment: Segment) -> str:
    """How a person cites a locator: ``A/74/185, para. 50 (a)``, ``fn. 4``, ``sect. III.A`` or a heading."""
    if segment.kind == "paragraph":
        return f"{info.symbol}, para. {segment.number}"
    if segment.kind == "footnote":
        return f"{info.symbol}, fn. {segment.number}"
    if segment.kind == "section":
        return f"{info.symbol}, sect. {segment.number}"
    return f"{info.symbol}, section “{segment.title}”".replace("; ", ", ")


def _locator(info: DocumentInfo, segment: Segment, activity: str) -> str:
    pairs = [("dcterms:isPartOf", iri(info.path)), ("skg:locatorLabel", literal(locator_label(info, segment)))]
    if segment.kind in ("paragraph", "footnote"):
        pairs.append(("skg:locatorNumber", literal(segment.number)))
    if segment.kind == "section":
        pairs += [("skg:sectionNumber", literal(segment.number)), ("skg:order", str(segment.order))]
        if segment.parent:
            pairs.append(("skg:partOfSection", iri(f"{ID}{info.path}/{segment.parent}")))
    if segment.kind in ("section", "heading"):
        pairs.append(("skg:headingText", literal(segment.title)))
    if segment.kind != "section":  # a section's text is its paragraphs'
        pairs.append(("rdf:value", literal(segment.text)))
    pairs += [("dcterms:references", iri(f"{ID}{info.path}/fn/{n}")) for n in segment.notes]
    pairs.append(("prov:wasGeneratedBy", activity))
    return _node(iri(f"{ID}{info.path}/{segment.key}"), CLASS[segment.kind], pairs)


def evidence_path(info: DocumentInfo, mention: Mention, n: int) -> str:
    """The IRI path of a mention's annotation: ``evidence/A-74-185-para-3-1`` (n-th in its locator)."""
    return f"evidence/{info.stem}-{mention.locator.replace('/', '-')}-{n}"


def _evidence(info: DocumentInfo, mention: Mention, n: int, activity: str) -> str:
    target = (
        f"[ a oa:SpecificResource ; oa:hasSource {iri(f'{ID}{info.path}/{mention.locator}')} ;\n"
        f"        oa:hasSelector [ a oa:TextPositionSelector ; oa:start {mention.start} ; oa:end {mention.end} ] ]"
    )
    pairs = [("oa:hasBody", iri(node)) for node in mention.nodes]
    pairs += [
        ("oa:hasTarget", target),
        ("skg:mentionedAs", literal(mention.text)),
        ("skg:assertionMethod", "method:extracted"),
        ("skg:confidence", f'"{mention.confidence:.2f}"^^xsd:decimal'),
        ("dcterms:type", literal(mention.status)),
        ("prov:wasGeneratedBy", activity),
    ]
    return _node(iri(ID + evidence_path(info, mention, n)), "skg:Evidence", pairs)


def proposed_node(node: str) -> str:
    """The few triples of a proposed node: its class, a label from the standard it comes from, the caveat."""
    caveat = ("skg:caveat", literal(PROPOSAL_CAVEAT, "@en"))
    path = node.removeprefix(ID)
    if node.startswith(STATE_PREFIX):
        country = pycountry.countries.get(alpha_3=node.removeprefix(STATE_PREFIX))
        name, alpha2 = (country.name, country.alpha_2) if country else (path, "")
        pairs = [("rdfs:label", literal(name, "@en")), ("skg:isoAlpha3", literal(path[-3:])), ("skg:isoAlpha2", literal(alpha2))]
        return _node(iri(node), "skg:State", [*pairs, caveat])
    if path.startswith("doc/"):
        symbol = path.removeprefix("doc/").replace("-", "/")
        pairs = [("rdfs:label", literal(symbol, "@en")), ("skg:documentSymbol", literal(symbol))]
        return _node(iri(node), "skg:Document", [*pairs, caveat])
    number = "/".join(path.rsplit("-", 2)[-2:])
    body = {"hrc": "Human Rights Council", "ga": "General Assembly", "chr": "Commission on Human Rights"}
    label = f"{body.get(path.split('/')[-1].split('-')[0], '')} resolution {number}".strip()
    return _node(
        iri(node), "skg:Resolution", [("rdfs:label", literal(label, "@en")), ("skg:resolutionNumber", literal(number)), caveat]
    )


def draft_turtle(info: DocumentInfo, analysis: Analysis, source: str, digest: str) -> str:
    """The draft file of one document."""
    activity = iri(f"{ID}ingest/{info.stem}")
    parts = [
        f"# Draft of {info.symbol}: extracted by `solidarity-kg ingest` from {source} (SHA-256 {digest}).\n"
        "# Nothing here is curated. Every locator and mention was made by the extractor and waits for a\n"
        "# person's review; the text of the locators stays in this file and the user's store.\n"
        f"# Named graph: {info.graph}\n\n",
        "@base <https://w3id.org/solidarity-kg/id/> .\n",
        "".join(f"@prefix {p}: <{v}> .\n" for p, v in PREFIXES) + "\n",
        _node(
            activity,
            "prov:Activity",
            [
                ("rdfs:label", literal(f"Extraction of {info.symbol} for review", "@en")),
                ("dcterms:type", "method:extracted"),
                ("prov:used", literal(source)),
            ],
        ),
    ]
    document = [("rdfs:label", literal(info.title or info.symbol, "@en")), ("skg:documentSymbol", literal(info.symbol))]
    if info.title:
        document.append(("dcterms:title", literal(info.title, "@en")))
    if info.date:
        document.append(("dcterms:date", f"{literal(info.date)}^^xsd:{info.date_type}"))
    document += [("dcterms:type", literal(info.kind)), ("prov:wasGeneratedBy", activity)]
    parts.append("\n" + _node(iri(ID + info.path), "skg:Document", document))
    parts.append("\n" + "".join(_locator(info, s, activity) for s in analysis.segmentation.segments))
    counts: dict[str, int] = {}
    for mention in analysis.mentions:
        if mention.nodes:
            counts[mention.locator] = counts.get(mention.locator, 0) + 1
            parts.append(_evidence(info, mention, counts[mention.locator], activity))
    proposed = sorted({node for m in analysis.by_status("proposed") for node in m.nodes})
    parts.append("\n" + "".join(proposed_node(node) for node in proposed))
    return "".join(parts)


__all__ = [
    "CLASS",
    "PREFIXES",
    "PROPOSAL_CAVEAT",
    "draft_turtle",
    "evidence_path",
    "iri",
    "literal",
    "locator_label",
    "proposed_node",
]
