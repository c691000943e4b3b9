"""How node types look: one colour per type (exports and the viewer) and one shape per family (the viewer).

The colours come from Paul Tol's *muted* scheme, made to stay apart for
readers with any common colour-vision deficiency: ten colours, so the ten
most common types of the bundled whole view each have a colour of their own.
Past ten, colour alone cannot keep types apart, so shape is a second channel:
every type has the shape of its family (actors are circles, and pentagons past
ten; practices diamonds, instruments squares, norms triangles, records
hexagons, locators tags, the mandate stars, vocabulary concepts chevrons), and
no two types share both colour and shape. ``type_color`` keeps its contract: a stable ``#rrggbb`` for any type
name (GEXF, GraphML, Cytoscape JSON and the CSV export all write it).
"""

from __future__ import annotations

import zlib

INDIGO, CYAN, TEAL, GREEN, OLIVE = "#332288", "#88ccee", "#44aa99", "#117733", "#999933"
SAND, ROSE, WINE, PURPLE, GREY = "#ddcc77", "#cc6677", "#882255", "#aa4499", "#dddddd"

PALETTE = (INDIGO, CYAN, TEAL, GREEN, OLIVE, SAND, ROSE, WINE, PURPLE, GREY)
"""Paul Tol's muted scheme (with its pale grey): the only colours a type gets."""

SHAPES = ("ellipse", "pentagon", "diamond", "rectangle", "triangle", "hexagon", "tag", "star", "vee")
"""The family shapes, as Cytoscape.js names them."""
FALLBACK_SHAPES = ("round-rectangle", "barrel", "rhomboid", "octagon")
"""Shapes for types the tables below do not know (the viewer keeps such types apart on screen)."""

_FAMILIES: dict[str, tuple[str, dict[str, str]]] = {
    "actors": (
        "ellipse",
        {
            "State": INDIGO,
            "LocalGovernment": CYAN,
            "InternationalOrganisation": TEAL,
            "RegionalOrganisation": GREEN,
            "CivilSocietyOrganisation": OLIVE,
            "ReligiousBody": SAND,
            "AcademicInstitution": ROSE,
            "Business": WINE,
            "TradeUnion": PURPLE,
            "NonStateActor": GREY,
        },
    ),
    "more actors": (
        "pentagon",
        {
            "GroupOfStates": INDIGO,
            "StateOrgan": CYAN,
            "CollectiveActor": TEAL,
            "DutyBearer": OLIVE,
            "RightsHolder": ROSE,
            "Actor": GREY,
        },
    ),
    "practices": (
        "diamond",
        {
            "GoodPractice": GREEN,
            "SolidarityGap": SAND,
            "MandateActivity": TEAL,
            "AbusiveDeployment": ROSE,
            "Criminalisation": WINE,
            "Practice": INDIGO,
            "Goal": CYAN,
            "MethodOfWork": OLIVE,
            "DraftingPhase": PURPLE,
        },
    ),
    "instruments": (
        "rectangle",
        {
            "Instrument": INDIGO,
            "Treaty": CYAN,
            "Declaration": TEAL,
            "DraftDeclaration": GREEN,
            "Resolution": OLIVE,
            "Decision": SAND,
            "Agreement": ROSE,
            "NationalMeasure": WINE,
            "InstrumentVersion": PURPLE,
            "ProposedMeasure": GREY,
        },
    ),
    "norms": (
        "triangle",
        {"Obligation": PURPLE, "Provision": WINE, "Recommendation": ROSE, "ProvisionCorrespondence": CYAN},
    ),
    "records": (
        "hexagon",
        {
            "Assessment": GREY,
            "Identification": OLIVE,
            "Document": CYAN,
            "Involvement": SAND,
            "Citation": INDIGO,
            "Report": TEAL,
            "Figure": ROSE,
            "Evidence": WINE,
            "PressRelease": PURPLE,
            "LegalAction": GREEN,
        },
    ),
    "locators": (
        "tag",
        {"Locator": GREY, "Paragraph": CYAN, "Footnote": SAND, "Heading": TEAL, "Section": ROSE, "AnnexItem": INDIGO},
    ),
    "mandate": ("star", {"Mandate": INDIGO, "MandateTerm": TEAL, "ThematicPriority": SAND, "Person": ROSE}),
    "concepts": (
        "vee",
        {
            "Place": GREEN,
            "ActorType": INDIGO,
            "RightsHolderCategory": ROSE,
            "Right": PURPLE,
            "Concept": OLIVE,
            "Resource": GREY,
        },
    ),
}

TYPE_COLORS: dict[str, str] = {name: color for _shape, members in _FAMILIES.values() for name, color in members.items()}
"""Node colour per type (``#rrggbb``); other types get a stable colour from ``PALETTE``."""
TYPE_SHAPES: dict[str, str] = {name: shape for shape, members in _FAMILIES.values() for name in members}
"""Node shape per type (the viewer's second channel); other types get one of ``FALLBACK_SHAPES``."""
TYPE_FAMILIES: dict[str, str] = {name: family for family, (_shape, members) in _FAMILIES.items() for name in members}
"""The family of each known type (the viewer's legend groups by it)."""


def _hashed(type_name: str, choices: tuple[str, ...], salt: str = "") -> str:
    return choices[zlib.crc32((salt + type_name).encode()) % len(choices)]


def type_color(type_name: str) -> str:
    """The colour of a node type (``#rrggbb``), stable across runs.

    >>> type_color("State")
    '#332288'
    >>> type_color("SomethingNew") == type_color("SomethingNew") and type_color("SomethingNew") in PALETTE
    True
    """
    return TYPE_COLORS.get(type_name) or _hashed(type_name, PALETTE)


def type_shape(type_name: str) -> str:
    """The shape of a node type in the viewer (a Cytoscape.js shape name), stable across runs.

    >>> type_shape("State"), type_shape("GoodPractice")
    ('ellipse', 'diamond')
    >>> type_shape("SomethingNew") in FALLBACK_SHAPES
    True
    """
    return TYPE_SHAPES.get(type_name) or _hashed(type_name, FALLBACK_SHAPES, "shape:")


def type_styles() -> dict[str, object]:
    """What the viewer needs to draw and explain types: colour, shape and family of every known type."""
    return {
        "types": {
            name: {"color": TYPE_COLORS[name], "shape": TYPE_SHAPES[name], "family": TYPE_FAMILIES[name]} for name in TYPE_COLORS
        },
        "palette": list(PALETTE),
        "fallback_shapes": list(FALLBACK_SHAPES),
        "families": {family: shape for family, (shape, _members) in _FAMILIES.items()},
    }


__all__ = [
    "FALLBACK_SHAPES",
    "PALETTE",
    "SHAPES",
    "TYPE_COLORS",
    "TYPE_FAMILIES",
    "TYPE_SHAPES",
    "type_color",
    "type_shape",
    "type_styles",
]
