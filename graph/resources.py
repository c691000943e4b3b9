"""Listings of the graph's resources, with typed filters, sorting and pages.

Each kind is a class plus a table of filters; a filter is a fixed SPARQL
fragment over ``?item`` and its own variable, whose value is bound (never
spliced from input). Dates are compared on their common prefix, so a year
filter works on xsd:gYear, xsd:gYearMonth and xsd:date values alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.catalogue import bind_value
from graph.errors import ParameterError
from graph.namespaces import PREFIXES
from graph.params import Parameter
from graph.store import Store, select
from graph.terms import TermSpec

SKG, SKGV = PREFIXES["skg"], PREFIXES["skgv"]


@dataclass(frozen=True)
class Filter:
    """A filter parameter: its SPARQL fragment (using ?item and ?value) and how its value is read."""

    name: str
    pattern: str
    description: str
    type: str = "iri"
    scheme: str | None = None
    """For concept filters: a vocabulary scheme, so that ``good-practice`` means ``skgv:practice-type/good-practice``."""


@dataclass(frozen=True)
class ResourceKind:
    """A family of resources listed at ``/{name}``."""

    name: str
    cls: str
    filters: tuple[Filter, ...]
    id_prefix: str


_DATE = "?item skg:date|skg:startDate ?d . FILTER(SUBSTR(STR(?d), 1, STRLEN(?value)) {op} ?value)"
_ACTOR_OF = "?item skg:carriedOutBy|skg:supportedBy|skg:targets|skg:involves|skg:addressedTo ?value"

LISTINGS: dict[str, ResourceKind] = {
    k.name: k
    for k in [
        ResourceKind(
            "actors",
            SKG + "Actor",
            (
                Filter(
                    "kind",
                    "?item a/rdfs:subClassOf* ?value",
                    "Class of actor: State, InternationalOrganisation, "
                    "LocalGovernment, CivilSocietyOrganisation, … (skg: local name or IRI)",
                    "class",
                ),
                Filter(
                    "state",
                    "?item skg:partOfState|skg:basedIn|skg:location ?value",
                    "The State a city or organisation belongs to or is based in (IRI or ISO alpha-3 code)",
                    "state",
                ),
                Filter("role", "", "duty-bearer (bears an obligation, directly or as its class) or rights-holder", "role"),
            ),
            "actor/",
        ),
        ResourceKind(
            "instruments",
            SKG + "Instrument",
            (
                Filter(
                    "kind", "?item a/rdfs:subClassOf* ?value", "Treaty, Declaration, DraftDeclaration, Resolution, …", "class"
                ),
                Filter(
                    "binding_force",
                    "?item skg:bindingForce ?value",
                    "binding, soft-law, draft, political-commitment",
                    "concept",
                    "binding-force",
                ),
            ),
            "instrument/",
        ),
        ResourceKind(
            "provisions",
            SKG + "Provision",
            (
                Filter(
                    "version",
                    "?item skg:inVersion ?value",
                    "The instrument version (IRI), e.g. skgd:instrument/declaration-international-solidarity/2023",
                ),
                Filter("instrument", "?item skg:inVersion/skg:versionOf|skg:inInstrument ?value", "The instrument (IRI)"),
                Filter(
                    "number_status", "?item skg:numberStatus ?value", "known, unknown or disputed", "concept", "number-status"
                ),
                Filter(
                    "duty_bearer",
                    "?o skg:establishedBy ?item ; skg:dutyBearer ?value",
                    "Provisions establishing an obligation of this duty-bearer (actor IRI or actor type, e.g. non-state-actor)",
                    "bearer",
                ),
            ),
            "instrument/",
        ),
        ResourceKind(
            "obligations",
            SKG + "Obligation",
            (
                Filter(
                    "duty_bearer",
                    "?item skg:dutyBearer ?value",
                    "Actor IRI or actor type (state, international-organisation, non-state-actor, …)",
                    "bearer",
                ),
                Filter("duty_type", "?item skg:dutyType ?value", "respect, protect, fulfil, refrain, …", "concept", "duty-type"),
                Filter("provision", "?item skg:establishedBy ?value", "The provision or recommendation (IRI)"),
                Filter(
                    "owed_to",
                    "?item skg:owedTo ?value",
                    "Rights-holder category (migrants, …) or actor",
                    "concept",
                    "rights-holder",
                ),
            ),
            "obligation/",
        ),
        ResourceKind(
            "practices",
            SKG + "Practice",
            (
                Filter(
                    "category",
                    "?item skg:practiceType ?value",
                    "good-practice, solidarity-gap, abusive-deployment, criminalisation, mandate-activity",
                    "concept",
                    "practice-type",
                ),
                Filter(
                    "gap_kind",
                    "?item skg:gapKind ?value",
                    "south-south, north-north, intra-country, civil-society",
                    "concept",
                    "gap-kind",
                ),
                Filter("actor", _ACTOR_OF, "An actor that carried it out, supported, was targeted or addressed (IRI)"),
                Filter(
                    "state",
                    "{ ?item skg:location ?value } UNION { " + _ACTOR_OF + " } UNION "
                    "{ ?item skg:location/skg:partOfState ?value }",
                    "A State where it happened or that took part (IRI or ISO alpha-3 code)",
                    "state",
                ),
                Filter("place", "?item skg:location ?value", "Where it happened (State, city or place IRI)"),
                Filter(
                    "provision",
                    "?item skg:expressesProvision|skg:runsAgainstProvision ?value",
                    "A provision it expresses or runs against (IRI)",
                ),
                Filter("document", "?item prov:wasDerivedFrom/dcterms:isPartOf ?value", "The source document (IRI)"),
                Filter("from", _DATE.format(op=">="), "Earliest date (YYYY, YYYY-MM or YYYY-MM-DD)", "date"),
                Filter("to", _DATE.format(op="<="), "Latest date (YYYY, YYYY-MM or YYYY-MM-DD)", "date"),
            ),
            "practice/",
        ),
        ResourceKind(
            "recommendations",
            SKG + "Recommendation",
            (
                Filter("addressee", "?item skg:addressedTo ?value", "Actor IRI or actor type", "bearer"),
                Filter("document", "?item prov:wasDerivedFrom/dcterms:isPartOf ?value", "The source document (IRI)"),
            ),
            "recommendation/",
        ),
        ResourceKind("documents", SKG + "Document", (), "doc/"),
        ResourceKind(
            "paragraphs", SKG + "Locator", (Filter("document", "?item dcterms:isPartOf ?value", "The document (IRI)"),), "doc/"
        ),
    ]
}

SORTS = {"label": "?label", "date": "?date", "iri": "?item"}
_PROLOGUE = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())


def coerce_filter(kind: ResourceKind, name: str, raw: str) -> TermSpec:
    """Read a filter value: IRIs and CURIEs, plus the short forms each filter type allows."""
    spec = next((f for f in kind.filters if f.name == name), None)
    if spec is None:
        raise ParameterError(
            f"{kind.name} cannot be filtered by {name!r}; filters: {', '.join(f.name for f in kind.filters) or 'none'}",
            parameter=name,
        )
    text = raw.strip()
    if spec.type == "date":
        if not (len(text) in (4, 7, 10) and text[:4].isdigit()):
            raise ParameterError(
                f"parameter {name!r} expects YYYY, YYYY-MM or YYYY-MM-DD, got {raw!r}", parameter=name, expected="date"
            )
        return ("literal", text, "", "")
    if spec.type == "role":
        if text not in ("duty-bearer", "rights-holder"):
            raise ParameterError(
                f"parameter 'role' must be duty-bearer or rights-holder, got {raw!r}",
                parameter=name,
                expected=["duty-bearer", "rights-holder"],
            )
        return ("literal", text, "", "")
    return bind_value(Parameter(name, "iri"), _expand_short_form(spec, text))


def _expand_short_form(spec: Filter, text: str) -> str:
    """A bare name (no ``:`` or ``/``) in the namespace its filter type implies, e.g. ``ITA`` -> the State's IRI."""
    if ":" in text or "/" in text:
        return text
    if spec.type == "class":
        return SKG + text
    if spec.type == "state" and len(text) == 3:
        return PREFIXES["skgd"] + "actor/state/" + text.upper()
    if spec.type == "concept" and spec.scheme:
        return f"{SKGV}{spec.scheme}/{text}"
    if spec.type == "bearer":
        return f"{SKGV}actor-type/{text}"
    return text


_SCHEME = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c WHERE { ?c skos:inScheme ?scheme }"""


def check_concept(store: Store, spec: Filter, term: TermSpec) -> None:
    """Refuse a concept value that is not in the filter's scheme, listing the allowed values."""
    if spec.type not in ("concept", "bearer") or term[0] != "uri":
        return
    scheme = f"{SKGV}{spec.scheme or 'actor-type'}"
    allowed = sorted(r["c"]["value"] for r in select(store, _SCHEME, substitutions={"scheme": ("uri", scheme)}))
    if spec.type == "bearer" and not term[1].startswith(SKGV):
        return
    if term[1] not in allowed:
        names = [a.rsplit("/", 1)[-1] for a in allowed]
        raise ParameterError(
            f"parameter {spec.name!r} must be one of {', '.join(names)}, got {term[1].rsplit('/', 1)[-1]!r}",
            parameter=spec.name,
            expected=names,
        )


def _role_pattern(role: str) -> str:
    if role == "duty-bearer":
        return "{ ?o skg:dutyBearer ?item } UNION { ?o skg:dutyBearer ?t . ?t skg:actorClass ?c . ?item a/rdfs:subClassOf* ?c }"
    return "?o skg:owedTo ?item"


def list_resources(
    store: Store, kind_name: str, filters: dict[str, str], *, sort: str = "label", limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """A page of resources of a kind, with the total count."""
    kind = LISTINGS[kind_name]
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        raise ParameterError(
            f"sort must be one of {', '.join(SORTS)} (prefix - for descending), got {sort!r}",
            parameter="sort",
            expected=list(SORTS),
        )
    patterns, bindings = [], {}
    for index, (name, raw) in enumerate(sorted(filters.items())):
        term = coerce_filter(kind, name, raw)
        spec = next(f for f in kind.filters if f.name == name)
        check_concept(store, spec, term)
        if spec.type == "role":
            patterns.append(_role_pattern(term[1]))
            continue
        variable = f"v{index}"
        pattern = spec.pattern.replace("?value", "?" + variable).replace("?o ", f"?o{index} ").replace("?d ", f"?d{index} ")
        pattern = pattern.replace("STR(?d)", f"STR(?d{index})")
        patterns.append(pattern)
        bindings[variable] = term
    where = f"""?item a ?type . ?type rdfs:subClassOf* <{kind.cls}> .
  {" . ".join(patterns)}"""
    order = SORTS[key]
    text = f"""{_PROLOGUE}
SELECT ?item (SAMPLE(?l) AS ?label) (SAMPLE(?dt) AS ?date) (GROUP_CONCAT(DISTINCT STR(?type); separator=" ") AS ?types)
WHERE {{ {where}
  OPTIONAL {{ ?item rdfs:label ?l }}
  OPTIONAL {{ ?item skg:date|skg:startDate ?dt }}
}} GROUP BY ?item ORDER BY {"DESC" if descending else "ASC"}({order}) ?item LIMIT {int(limit)} OFFSET {int(offset)}"""
    count = f"{_PROLOGUE}\nSELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {where} }}"
    rows = select(store, text, substitutions=bindings)
    total = int(select(store, count, substitutions=bindings)[0]["n"]["value"])
    items = [
        {
            "iri": r["item"]["value"],
            "label": r.get("label", {}).get("value", r["item"]["value"].rsplit("/", 1)[-1]),
            "date": r.get("date", {}).get("value"),
            "types": sorted(t.rsplit("#", 1)[-1] for t in r["types"]["value"].split() if t.startswith(SKG)),
        }
        for r in rows
    ]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


__all__ = ["LISTINGS", "SORTS", "Filter", "ResourceKind", "coerce_filter", "list_resources"]
