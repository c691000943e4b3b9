"""Listings of the graph's resources, with typed filters, sorting and pages.

Each kind is a class plus a table of filters; a filter is a fixed SPARQL
fragment over ``?item`` and its own variable, whose value is bound (never
spliced from input). Dates are compared on their common prefix, so a year
filter works on xsd:gYear, xsd:gYearMonth and xsd:date values alike. A
filter given several times matches any of its values. The practice filters
are also the practice explorer's facets (``graph/explorer.py``), which reads
the same fragments with ``?value`` free.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.cache import cache_of
from graph.catalogue import bind_value
from graph.errors import ParameterError
from graph.namespaces import PREFIXES
from graph.params import Parameter
from graph.store import Store, select
from graph.terms import TermSpec

SKG, SKGV, SKGD = PREFIXES["skg"], PREFIXES["skgv"], PREFIXES["skgd"]


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
_ROLE = f"<{SKGV}involvement-role/{{}}>"
_CARRIED_OUT = (
    "{ ?item skg:carriedOutBy ?value } UNION "
    f"{{ ?i skg:inPractice ?item ; skg:role {_ROLE.format('carried-out')} ; skg:agent ?value }}"
)
_AFFECTED = (
    "{ ?item skg:targets|skg:affects ?value } UNION "
    f"{{ ?i skg:inPractice ?item ; skg:role {_ROLE.format('targeted')} ; skg:agent ?value }}"
)
_PLACE = (
    "{ ?item skg:location ?value } UNION { ?item skg:location ?c . ?c skg:partOfState ?value } UNION "
    "{ ?i skg:inPractice ?item ; skg:location ?value } UNION "
    "{ ?i skg:inPractice ?item ; skg:location ?c . ?c skg:partOfState ?value }"
)
_LINKED = (
    "?item skg:expressesProvision|skg:runsAgainstProvision ?p",
    "?item skg:relatesToObligation ?o . ?o skg:establishedBy ?p . ?p a skg:Provision",
    "?a skg:assessedPractice ?item ; skg:assessedAgainst ?p . ?p a skg:Provision",
)
"""The three ways a practice reaches a provision; the filter matches the provision and the one enclosing it."""
_PROVISION = " UNION ".join(
    f"{{ {way.replace('?p', '?value')} }} UNION {{ {way} . ?p skg:partOfProvision ?value }}" for way in _LINKED
)
_HOLDER = "?item skg:benefits|skg:affects ?value"
_CURATED = "?a skg:assessedPractice ?item . FILTER NOT EXISTS { ?a skg:assessedBy ?b }"
READINGS = {
    "source": "{ ?item skg:expressesProvision|skg:runsAgainstProvision ?x } UNION "
    "{ ?a skg:assessedPractice ?item ; skg:assessedBy ?b } UNION { ?item skg:relatesToObligation ?o . "
    "FILTER NOT EXISTS { ?c skg:assessedPractice ?item ; skg:assessedAgainst ?o . FILTER NOT EXISTS { ?c skg:assessedBy ?d } } }",
    "curators": _CURATED,
    "caveat": "{ ?item skg:caveat ?c } UNION { ?i skg:identifiesIn ?item ; skg:caveat ?c }",
}
"""``reading``: the source links it to an obligation or provision (directly, or by its author's assessment);
the curators do (an assessment with no author); a caveat on it or an identification says a fact is read into it."""

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
                    "south-south, north-north, north-south, intra-country, civil-society",
                    "concept",
                    "gap-kind",
                ),
                Filter("actor", _ACTOR_OF, "An actor that carried it out, supported, was targeted or addressed", "state"),
                Filter(
                    "state",
                    "{ ?item skg:location ?value } UNION { " + _ACTOR_OF + " } UNION "
                    "{ ?item skg:location/skg:partOfState ?value }",
                    "A State where it happened or that took part",
                    "state",
                ),
                Filter("carried_out_by", _CARRIED_OUT, "An actor that carried it out (State, organisation, person…)", "state"),
                Filter("place", _PLACE, "Where it happened: a State (its cities included), a city or a place", "place"),
                Filter("affected", _AFFECTED, "A State or actor it targeted, or a rights-holder group it harmed", "affected"),
                Filter("rights_holder", _HOLDER, "A rights-holder category it helped or harmed", "concept", "rights-holder"),
                Filter("provision", _PROVISION, "A provision it expresses or runs against, or the article enclosing it"),
                Filter("document", "?item prov:wasDerivedFrom/dcterms:isPartOf ?value", "The source document", "document"),
                Filter("section", "?item prov:wasDerivedFrom ?value . ?value a skg:Heading", "The heading of the source section"),
                Filter("year", _DATE.format(op="=").replace("STRLEN(?value)", "4"), "The year it happened or began", "year"),
                Filter("from", _DATE.format(op=">="), "Earliest date (YYYY, YYYY-MM or YYYY-MM-DD)", "date"),
                Filter("to", _DATE.format(op="<="), "Latest date (YYYY, YYYY-MM or YYYY-MM-DD)", "date"),
                Filter("reading", "", "source, curators or caveat: who links it to an obligation or provision", "reading"),
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


def filter_spec(kind: ResourceKind, name: str) -> Filter:
    """The filter of that name, or a 422 naming it and listing the kind's filters."""
    spec = next((f for f in kind.filters if f.name == name), None)
    if spec is None:
        raise ParameterError(
            f"{kind.name} cannot be filtered by {name!r}; filters: {', '.join(f.name for f in kind.filters) or 'none'}",
            parameter=name,
        )
    return spec


_KEYWORDS = {"role": ("duty-bearer", "rights-holder"), "reading": tuple(READINGS)}


def coerce_filter(kind: ResourceKind, name: str, raw: str) -> TermSpec:
    """Read a filter value: IRIs and CURIEs, plus the short forms each filter type allows."""
    spec = filter_spec(kind, name)
    text = raw.strip()
    if spec.type in ("date", "year"):
        lengths = (4,) if spec.type == "year" else (4, 7, 10)
        if not (len(text) in lengths and text[:4].isdigit() and text.isascii()):
            shape = "YYYY" if spec.type == "year" else "YYYY, YYYY-MM or YYYY-MM-DD"
            raise ParameterError(f"parameter {name!r} expects {shape}, got {raw!r}", parameter=name, expected=spec.type)
        return ("literal", text, "", "")
    if spec.type in _KEYWORDS:
        allowed = _KEYWORDS[spec.type]
        if text not in allowed:
            raise ParameterError(
                f"parameter {name!r} must be {' or '.join(allowed)}, got {raw!r}", parameter=name, expected=list(allowed)
            )
        return ("literal", text, "", "")
    return bind_value(Parameter(name, "iri"), _expand_short_form(spec, text))


_BARE = {
    "class": SKG,
    "place": SKGD + "place/",
    "affected": SKGV + "rights-holder/",
    "bearer": SKGV + "actor-type/",
}
"""The namespace of a bare name (no ``:`` or ``/``) for each filter type."""


def _expand_short_form(spec: Filter, text: str) -> str:
    """A short form in the namespace its filter type implies: ``ITA`` -> the State, ``actor/city/x`` -> our IRI, …

    >>> place, document = (f for f in LISTINGS["practices"].filters if f.name in ("place", "document"))
    >>> [_expand_short_form(place, v).removeprefix(SKGD) for v in ("ita", "europe", "actor/city/x")]
    ['actor/state/ITA', 'place/europe', 'actor/city/x']
    >>> _expand_short_form(document, "A/73/206").removeprefix(SKGD)
    'doc/A-73-206'
    """
    if ":" in text:
        return text
    if spec.type == "document" and not text.startswith("doc/"):
        return f"{SKGD}doc/{text.replace('/', '-')}"
    if "/" in text:
        return SKGD + text
    if spec.type in ("state", "place", "affected") and len(text) == 3:
        return SKGD + "actor/state/" + text.upper()
    if spec.type == "concept" and spec.scheme:
        return f"{SKGV}{spec.scheme}/{text}"
    return _BARE.get(spec.type, "") + text


_SCHEME = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c WHERE { ?c skos:inScheme ?scheme }"""


def scheme_members(store: Store, scheme: str) -> list[str]:
    """The concepts of a vocabulary scheme (``practice-type``, …), read once per store."""
    return cache_of(store).fixed(
        ("scheme", scheme),
        lambda: sorted(r["c"]["value"] for r in select(store, _SCHEME, substitutions={"scheme": ("uri", SKGV + scheme)})),
    )


def check_concept(store: Store, spec: Filter, term: TermSpec) -> None:
    """Refuse a concept value that is not in the filter's scheme, listing the allowed values."""
    if spec.type not in ("concept", "bearer", "affected") or term[0] != "uri":
        return
    if spec.type in ("bearer", "affected") and not term[1].startswith(SKGV):
        return
    allowed = scheme_members(store, "rights-holder" if spec.type == "affected" else spec.scheme or "actor-type")
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


_VARIABLE = re.compile(r"\?([A-Za-z_]\w*)")
Bindings = dict[str, TermSpec]


def instantiate(pattern: str, suffix: str) -> str:
    """A filter fragment with its own variables: ``?value`` becomes ``?v<suffix>``, helpers get the suffix.

    >>> instantiate("?o skg:establishedBy ?item ; skg:dutyBearer ?value", "2")
    '?o2 skg:establishedBy ?item ; skg:dutyBearer ?v2'
    """
    return _VARIABLE.sub(
        lambda m: m.group(0) if m.group(1) == "item" else f"?{'v' if m.group(1) == 'value' else m.group(1)}{suffix}", pattern
    )


def _filter_pattern(store: Store, kind: ResourceKind, index: int, name: str, raws: Sequence[str]) -> tuple[str, Bindings]:
    """One filter's fragment (a UNION over its values) and the bindings of its values."""
    spec = filter_spec(kind, name)
    branches, bindings = [], {}
    for j, raw in enumerate(raws):
        term = coerce_filter(kind, name, raw)
        check_concept(store, spec, term)
        suffix = f"{index}_{j}"
        if spec.type == "role":
            branches.append(instantiate(_role_pattern(term[1]), suffix))
        elif spec.type == "reading":
            branches.append(instantiate(READINGS[term[1]], suffix))
        else:
            branches.append(instantiate(spec.pattern, suffix))
            bindings[f"v{suffix}"] = term
    return " UNION ".join(f"{{ {b} }}" for b in branches), bindings


def list_resources(
    store: Store,
    kind_name: str,
    filters: Mapping[str, str | Sequence[str]],
    *,
    sort: str = "label",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """A page of resources of a kind, with the total count (a filter given several values matches any)."""
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
    for index, (name, given) in enumerate(sorted(filters.items())):
        pattern, bound = _filter_pattern(store, kind, index, name, [given] if isinstance(given, str) else list(given))
        patterns.append(pattern)
        bindings.update(bound)
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


__all__ = ["LISTINGS", "READINGS", "SORTS", "Filter", "check_concept", "coerce_filter", "filter_spec", "list_resources"]
