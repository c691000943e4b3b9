"""How node types look in exported views: one colour per type, stable across runs."""

from __future__ import annotations

import zlib

TYPE_COLORS: dict[str, str] = {
    "State": "#1f5fa8",
    "LocalGovernment": "#4f9fd8",
    "InternationalOrganisation": "#0f8b8d",
    "RegionalOrganisation": "#46b3b5",
    "CivilSocietyOrganisation": "#2e7d32",
    "ReligiousBody": "#66a35e",
    "AcademicInstitution": "#7cb342",
    "Business": "#8d6e63",
    "TradeUnion": "#a1887f",
    "NonStateActor": "#5c8f6b",
    "Person": "#3949ab",
    "GoodPractice": "#43a047",
    "SolidarityGap": "#fb8c00",
    "AbusiveDeployment": "#e53935",
    "Criminalisation": "#8e1b1b",
    "MandateActivity": "#00897b",
    "Obligation": "#8e24aa",
    "Provision": "#ba68c8",
    "Instrument": "#795548",
    "Treaty": "#6d4c41",
    "Declaration": "#a1665e",
    "DraftDeclaration": "#bc8f7a",
    "Resolution": "#8d6e63",
    "Decision": "#9c7b6b",
    "Agreement": "#7b5e57",
    "NationalMeasure": "#b08b7f",
    "Report": "#90a4ae",
    "InstrumentVersion": "#c9a99b",
    "ProvisionCorrespondence": "#ce93d8",
    "Recommendation": "#d81b60",
    "Assessment": "#9e9e9e",
    "Identification": "#bdbdbd",
    "Involvement": "#b0bec5",
    "Citation": "#cfd8dc",
    "Document": "#616161",
    "Mandate": "#26a69a",
    "MandateTerm": "#80cbc4",
    "ThematicPriority": "#4db6ac",
    "Place": "#90caf9",
    "ActorType": "#fbc02d",
    "RightsHolderCategory": "#fdd835",
    "Right": "#f9a825",
    "Concept": "#c0ca33",
    "Resource": "#78909c",
}
"""Node colour per type (``#rrggbb``); other types get a stable colour from ``PALETTE``."""
PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def type_color(type_name: str) -> str:
    """The colour of a node type (``#rrggbb``), stable across runs.

    >>> type_color("State")
    '#1f5fa8'
    >>> type_color("SomethingNew") == type_color("SomethingNew")
    True
    """
    return TYPE_COLORS.get(type_name) or PALETTE[zlib.crc32(type_name.encode()) % len(PALETTE)]


__all__ = ["PALETTE", "TYPE_COLORS", "type_color"]
