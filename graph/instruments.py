"""An instrument's provisions, version by version, with the mapping between versions.

For a work with several versions (the 2017 draft and the 2023 revised draft
declaration) the answer puts the versions side by side and lists each
correspondence between their provisions with its type, caveat and evidence;
for a single version or a treaty it lists its provisions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.errors import UnknownResourceError
from graph.iris import local_name
from graph.store import Store, select

_DETAILS = """?provision rdfs:label ?label ; skg:eId ?eId ; skg:numberStatus ?status .
    OPTIONAL { ?provision skg:number ?number }
    OPTIONAL { ?provision skg:partOfProvision ?parent }
    OPTIONAL { ?provision dcterms:description ?description }"""

# the provision details are repeated inside each branch: a join after a UNION is slow in Oxigraph
_PROVISIONS = f"""PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?instrument ?version ?versionLabel ?versionDate ?provision ?label ?eId ?number ?status ?parent ?description
WHERE {{
  {{
    ?version skg:versionOf ?instrument .
    ?provision skg:inVersion ?version .
    OPTIONAL {{ ?version rdfs:label ?versionLabel }}
    OPTIONAL {{ ?version skg:date ?versionDate }}
    {_DETAILS}
  }} UNION {{
    BIND(?instrument AS ?version)
    ?provision skg:inVersion|skg:inInstrument ?instrument .
    OPTIONAL {{ ?instrument rdfs:label ?versionLabel }}
    OPTIONAL {{ ?instrument skg:date ?versionDate }}
    {_DETAILS}
  }}
}}"""

_MAPPING = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?correspondence ?from ?to ?type ?caveat ?locatorLabel WHERE {
  ?correspondence skg:fromProvision ?from ; skg:toProvision ?to ; skg:correspondenceType ?type .
  ?from skg:inVersion/skg:versionOf ?instrument .
  OPTIONAL { ?correspondence skg:caveat ?caveat }
  OPTIONAL { ?correspondence prov:wasDerivedFrom/skg:locatorLabel ?locatorLabel }
}"""


def _value(row: dict[str, Any], name: str) -> str | None:
    return row[name]["value"] if name in row else None


def instrument_provisions(store: Store, instrument: str) -> dict[str, Any]:
    """Versions of an instrument side by side, each with its provisions, plus the mapping between versions."""
    rows = select(store, _PROVISIONS, substitutions={"instrument": ("uri", instrument)})
    if not rows:
        raise UnknownResourceError(f"{instrument} has no provisions in the graph", kind="instrument", identifier=instrument)
    versions: dict[str, dict[str, Any]] = {}
    provisions: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        version = row["version"]["value"]
        versions.setdefault(
            version,
            {"iri": version, "label": _value(row, "versionLabel") or local_name(version), "date": _value(row, "versionDate")},
        )
        provisions[version][row["provision"]["value"]] = {
            "iri": row["provision"]["value"],
            "label": row["label"]["value"],
            "eId": row["eId"]["value"],
            "number": _value(row, "number"),
            "number_status": local_name(row["status"]["value"]),
            "part_of": _value(row, "parent"),
            "description": _value(row, "description"),
        }
    mapping: dict[str, dict[str, Any]] = {}
    for row in select(store, _MAPPING, substitutions={"instrument": ("uri", instrument)}):
        entry = mapping.setdefault(
            row["correspondence"]["value"],
            {
                "iri": row["correspondence"]["value"],
                "from": row["from"]["value"],
                "to": row["to"]["value"],
                "type": local_name(row["type"]["value"]),
                "caveat": _value(row, "caveat"),
                "evidence": [],
            },
        )
        label = _value(row, "locatorLabel")
        if label and label not in entry["evidence"]:
            entry["evidence"].append(label)
    ordered = sorted(versions.values(), key=lambda v: (v["date"] or "", v["iri"]))
    for version in ordered:
        version["provisions"] = sorted(provisions[version["iri"]].values(), key=lambda p: p["eId"])
    return {
        "instrument": instrument,
        "versions": ordered,
        "mapping": sorted(mapping.values(), key=lambda m: (m["from"], m["to"])),
    }


__all__ = ["instrument_provisions"]
