"""Other names of States, for search: the names ISO 3166 gives, names in common use, and demonyms.

The data name a State once (``rdfs:label``, from pycountry), but the sources
and the people searching use other words: "Turkey" for Türkiye, "Hungarian"
for Hungary, "the Netherlands", "the UK". ``state_names`` gives the names of
a State (pycountry's name, official and common name, its former names in ISO
3166-3, and the English names in common use below); ``state_aliases`` adds
the adjectives and demonyms. Both are keyed by the ISO 3166-1 alpha-3 code of
the State's IRI (``…/id/actor/state/<code>``). Accents need no second form:
the search index folds them (``remove_diacritics``).

The tables cover every State in ``graph/countries.py: WIKIDATA`` and in
``data/states.ttl``; a test checks that each State in the data has its entry.
"""

from __future__ import annotations

from functools import cache

import pycountry

from graph.countries import STATE_PREFIX

DEMONYMS: dict[str, tuple[str, ...]] = {
    "AFG": ("Afghan",),
    "ARE": ("Emirati",),
    "ARG": ("Argentine", "Argentinian"),
    "AUS": ("Australian",),
    "AUT": ("Austrian",),
    "BEL": ("Belgian",),
    "BFA": ("Burkinabe", "Burkinabè"),
    "BGD": ("Bangladeshi",),
    "BGR": ("Bulgarian",),
    "BOL": ("Bolivian",),
    "BRA": ("Brazilian",),
    "BWA": ("Botswanan", "Motswana", "Batswana"),
    "CAN": ("Canadian",),
    "CHE": ("Swiss",),
    "CHL": ("Chilean",),
    "CHN": ("Chinese",),
    "CMR": ("Cameroonian",),
    "COD": ("Congolese",),
    "COL": ("Colombian",),
    "CRI": ("Costa Rican",),
    "CUB": ("Cuban",),
    "CYP": ("Cypriot",),
    "CZE": ("Czech",),
    "DEU": ("German",),
    "DNK": ("Danish", "Dane"),
    "DOM": ("Dominican",),
    "DZA": ("Algerian",),
    "ECU": ("Ecuadorian", "Ecuadorean"),
    "EGY": ("Egyptian",),
    "ERI": ("Eritrean",),
    "ESP": ("Spanish", "Spaniard"),
    "EST": ("Estonian",),
    "ETH": ("Ethiopian",),
    "FIN": ("Finnish", "Finn"),
    "FRA": ("French",),
    "GBR": ("British", "Briton"),
    "GHA": ("Ghanaian",),
    "GMB": ("Gambian",),
    "GRC": ("Greek",),
    "GTM": ("Guatemalan",),
    "HND": ("Honduran",),
    "HRV": ("Croatian", "Croat"),
    "HTI": ("Haitian",),
    "HUN": ("Hungarian",),
    "IDN": ("Indonesian",),
    "IND": ("Indian",),
    "IRL": ("Irish",),
    "IRN": ("Iranian",),
    "IRQ": ("Iraqi",),
    "ISL": ("Icelandic", "Icelander"),
    "ISR": ("Israeli",),
    "ITA": ("Italian",),
    "JOR": ("Jordanian",),
    "JPN": ("Japanese",),
    "KEN": ("Kenyan",),
    "KOR": ("South Korean", "Korean"),
    "KWT": ("Kuwaiti",),
    "LBN": ("Lebanese",),
    "LBY": ("Libyan",),
    "LTU": ("Lithuanian",),
    "LUX": ("Luxembourgish", "Luxembourger"),
    "LVA": ("Latvian",),
    "MAR": ("Moroccan",),
    "MEX": ("Mexican",),
    "MLI": ("Malian",),
    "MLT": ("Maltese",),
    "MMR": ("Burmese", "Myanma"),
    "MWI": ("Malawian",),
    "MYS": ("Malaysian",),
    "NER": ("Nigerien",),
    "NGA": ("Nigerian",),
    "NIC": ("Nicaraguan",),
    "NLD": ("Dutch",),
    "NOR": ("Norwegian",),
    "NRU": ("Nauruan",),
    "NZL": ("New Zealander",),
    "PAK": ("Pakistani",),
    "PAN": ("Panamanian",),
    "PER": ("Peruvian",),
    "PHL": ("Filipino", "Philippine"),
    "PNG": ("Papua New Guinean",),
    "POL": ("Polish", "Pole"),
    "PRT": ("Portuguese",),
    "PRY": ("Paraguayan",),
    "QAT": ("Qatari",),
    "ROU": ("Romanian",),
    "RUS": ("Russian",),
    "RWA": ("Rwandan",),
    "SAU": ("Saudi", "Saudi Arabian"),
    "SDN": ("Sudanese",),
    "SEN": ("Senegalese",),
    "SLV": ("Salvadoran", "Salvadorean"),
    "SOM": ("Somali",),
    "SRB": ("Serbian", "Serb"),
    "SSD": ("South Sudanese",),
    "SVK": ("Slovak",),
    "SVN": ("Slovenian", "Slovene"),
    "SWE": ("Swedish", "Swede"),
    "SYR": ("Syrian",),
    "TCD": ("Chadian",),
    "THA": ("Thai",),
    "TUN": ("Tunisian",),
    "TUR": ("Turkish", "Turk"),
    "TZA": ("Tanzanian",),
    "UGA": ("Ugandan",),
    "UKR": ("Ukrainian",),
    "URY": ("Uruguayan",),
    "USA": ("American",),
    "VEN": ("Venezuelan",),
    "YEM": ("Yemeni",),
    "ZAF": ("South African",),
}
"""Adjectives and demonyms in English, by alpha-3 code."""

COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "BOL": ("Bolivia",),
    "CIV": ("Ivory Coast",),
    "COD": ("Democratic Republic of the Congo", "DR Congo", "DRC"),
    "CZE": ("Czech Republic",),
    "GBR": ("UK", "Britain", "Great Britain"),
    "IRN": ("Iran",),
    "KOR": ("Republic of Korea",),
    "MMR": ("Burma",),
    "NLD": ("Holland", "the Netherlands"),
    "RUS": ("Russia",),
    "SYR": ("Syria",),
    "TUR": ("Turkey",),
    "TZA": ("Tanzania",),
    "USA": ("US", "USA", "United States of America"),
    "VEN": ("Venezuela",),
}
"""English names in common use that ISO 3166 does not give (Turkey was ISO's name for Türkiye until 2022)."""

RENAMED = ("AIDJ", "BUMM", "DYBJ", "HVBF", "NHVU", "RHZW", "TPTL", "ZRCD")
"""ISO 3166-3 entries that are a State's former name (not a territory absorbed or split up)."""


def _without_comma(name: str) -> str | None:
    """ISO's inverted form the other way round: "Korea, Republic of" -> "Republic of Korea"."""
    head, comma, tail = name.partition(", ")
    if not comma or "," in tail:
        return None
    return f"{tail} {head}".replace("of The ", "of the ").removeprefix("The ")


@cache
def _former_names() -> dict[str, tuple[str, ...]]:
    """Alpha-3 code -> former names, from ISO 3166-3 (the short form before the comma)."""
    found: dict[str, list[str]] = {}
    for entry in pycountry.historic_countries:
        if entry.alpha_4 not in RENAMED:
            continue
        successor = pycountry.countries.get(alpha_2=entry.alpha_4[2:])
        if successor is not None:
            found.setdefault(successor.alpha_3, []).append(entry.name.partition(",")[0])
    return {code: tuple(names) for code, names in found.items()}


@cache
def state_names(alpha3: str) -> tuple[str, ...]:
    """Every name of a State, without duplicates, ISO's first.

    >>> state_names("TUR")
    ('Türkiye', 'Republic of Türkiye', 'Turkey')
    >>> state_names("ZZZ")
    ()
    """
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return ()
    names: list[str] = []
    for name in (
        country.name,
        getattr(country, "official_name", None),
        getattr(country, "common_name", None),
        _without_comma(country.name),
        *_former_names().get(alpha3, ()),
        *COMMON_NAMES.get(alpha3, ()),
    ):
        if name and name not in names:
            names.append(name)
    return tuple(names)


def state_aliases(alpha3: str) -> tuple[str, ...]:
    """The names of a State and its demonyms.

    >>> state_aliases("HUN")
    ('Hungary', 'Hungarian')
    """
    return state_names(alpha3) + DEMONYMS.get(alpha3, ())


def aliases_of(iri: str) -> tuple[str, ...]:
    """The aliases of a node given by IRI: a State's names and demonyms, nothing for other nodes.

    >>> aliases_of("https://w3id.org/solidarity-kg/id/actor/state/ITA")
    ('Italy', 'Italian Republic', 'Italian')
    >>> aliases_of("https://w3id.org/solidarity-kg/id/actor/io/european-union")
    ()
    """
    code = iri.removeprefix(STATE_PREFIX)
    if code == iri or len(code) != 3 or not code.isalpha() or not code.isupper():
        return ()
    return state_aliases(code)


__all__ = ["COMMON_NAMES", "DEMONYMS", "RENAMED", "aliases_of", "state_aliases", "state_names"]
