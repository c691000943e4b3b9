"""Generate a synthetic graph shaped like solidarity-kg's data, of a chosen size.

Deterministic for a given ``--size`` and ``--seed``: the same arguments write
byte-identical files. The folder holds one Turtle file per "source", so that
the service's loader puts each into its own named graph, exactly as it does
with ``data/``:

* ``states.ttl``: every ISO 3166 State (pycountry), with codes and labels;
* ``actors-NN.ttl``: international and regional organisations, cities (local
  governments), civil-society organisations, businesses, unions, persons;
* ``instruments-NNN.ttl``: instruments, their versions and provisions
  (``skg:inVersion``), provision correspondences and the obligations the
  provisions establish (duty-bearer actor or actor-type concept, rights-holder,
  duty type, modality);
* ``doc-a-syn-NNNNN.ttl``: one source document each: paragraphs and footnotes
  as ``skg:Locator`` nodes ``dcterms:isPartOf`` the document, practices of the
  five practice classes (carried out by, targets, location, provisions expressed
  or run against, obligations, ``prov:wasDerivedFrom`` a locator),
  recommendations (addressed to, responds to), identifications of States named
  only in a footnote, curators' assessments, involvements and actor mentions.

Every fact carries ``rdfs:label``@en, a ``dcterms:description``@en and a
locator, as ``docs/data-guide.md`` asks. ``manifest.json`` (not loaded: it is
not Turtle) records the counts and sample IRIs the benchmark binds its queries
to. Load the folder together with ``ontology/``.

Usage::

    python bench/generate.py --size 1M --seed 42 --out bench-data/1M-s42
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

GENERATOR_VERSION = "1"
BASE = "https://w3id.org/solidarity-kg/id/"
VOCAB = "https://w3id.org/solidarity-kg/vocab/"

PREFIXES = {
    "skg": "https://w3id.org/solidarity-kg/ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "duty": VOCAB + "duty-type/",
    "modality": VOCAB + "modality/",
    "ptype": VOCAB + "practice-type/",
    "gap": VOCAB + "gap-kind/",
    "atype": VOCAB + "actor-type/",
    "holder": VOCAB + "rights-holder/",
    "right": VOCAB + "right/",
    "theme": VOCAB + "theme/",
    "force": VOCAB + "binding-force/",
    "numstatus": VOCAB + "number-status/",
    "level": VOCAB + "provision-level/",
    "corr": VOCAB + "correspondence/",
    "role": VOCAB + "involvement-role/",
    "assess": VOCAB + "assessment-type/",
}
RDF_TYPE = "a"

# Concept values, as defined in ontology/vocabulary.ttl.
DUTY = ["respect", "protect", "fulfil", "refrain", "cooperate", "provide-mechanism", "ensure", "participate"]
MODALITY = ["obligation", "obligation", "obligation", "prohibition", "permission", "recommendation"]
HOLDERS = [
    "migrants",
    "irregular-migrants",
    "refugees",
    "asylum-seekers",
    "migrant-workers",
    "women-and-girls",
    "children",
    "unaccompanied-minors",
    "older-persons",
    "indigenous-peoples",
    "trade-unions",
    "civil-society",
    "peoples",
    "individuals",
    "deportees-and-returnees",
    "everyone",
    "people-in-poverty",
    "persons-with-disabilities",
    "human-rights-defenders",
    "internally-displaced-persons",
]
RIGHTS = [
    "international-solidarity",
    "development",
    "asylum",
    "life",
    "non-refoulement",
    "freedom-of-expression",
    "freedom-of-association",
    "education",
    "health",
    "work",
    "social-security",
    "non-discrimination",
    "liberty",
    "adequate-standard-of-living",
    "self-determination",
    "international-cooperation",
]
THEMES = [
    "migration",
    "refugees",
    "climate-change",
    "extraterritorial-obligations",
    "civil-society",
    "global-citizenship",
    "south-south-cooperation",
    "technology",
    "cities",
    "populism",
    "taxation",
    "economic-security",
    "search-and-rescue",
    "detention",
    "deportation",
    "responsibility-sharing",
    "externalisation",
    "development-cooperation",
    "human-rights-mechanisms",
]
GAP_KINDS = ["south-south", "north-north", "intra-country", "civil-society", "north-south"]
ROLES = ["carried-out", "funded", "supported", "blocked", "targeted", "benefited", "hosted", "addressed"]
ASSESSMENTS = ["exemplifies", "falls-short-of", "abuses", "invokes"]
CORRESPONDENCE = ["same", "same", "revised", "merged", "split", "new", "uncertain"]
ACTOR_TYPES = ["state", "international-organisation", "non-state-actor", "local-government", "civil-society", "business"]
# Practice classes with their practice-type concept and share of practices.
PRACTICE_CLASSES = [
    ("GoodPractice", "good-practice", 45),
    ("SolidarityGap", "solidarity-gap", 25),
    ("AbusiveDeployment", "abusive-deployment", 10),
    ("Criminalisation", "criminalisation", 12),
    ("MandateActivity", "mandate-activity", 8),
]
INSTRUMENT_CLASSES = [
    ("Treaty", "binding"),
    ("Declaration", "soft-law"),
    ("DraftDeclaration", "draft"),
    ("Resolution", "soft-law"),
    ("Agreement", "political-commitment"),
    ("NationalMeasure", "domestic-law"),
]

WORDS = """solidarity migrants shelter rescue support network community city region state rights duty cooperation
assistance programme fund policy reform law protection access health housing education work union volunteers
campaign dialogue border coast sea camp return integration welfare relief aid partnership council committee report
review monitoring obligation refugees asylum families children women workers income training legal advice clinic
food water transport hosting sponsorship resettlement relocation quota agreement compact declaration treaty
procedure court ruling appeal complaint mechanism channel platform forum coalition initiative project grant budget
tax levy debt climate drought flood displacement development trade investment technology data privacy detention
deportation penalty offence prosecution exemption humanitarian dignity equality discrimination participation
inclusion outreach mediation translation interpretation documentation registration identity permit visa labour
recruitment remittance diaspora municipal national international global local regional bilateral multilateral""".split()
ADJECTIVES = """joint local national regional municipal cross-border voluntary emergency targeted long-term temporary
collective public private community-led state-funded faith-based youth-led independent coordinated informal
formal pilot permanent mobile""".split()
NOUNS = """programme network campaign fund initiative partnership scheme platform project coalition service
agreement mechanism forum clinic taskforce hotline mission corridor office""".split()
PURPOSES = """search and rescue|legal aid|emergency shelter|health care|language courses|job placement|family
reunification|safe passage|food distribution|school enrolment|housing support|complaint handling|debt relief|climate
adaptation|vaccine sharing|data protection|labour rights|return monitoring|detention visits|community sponsorship"""
PURPOSES_LIST = [p.strip().replace("\n", " ") for p in PURPOSES.split("|")]
ORG_NOUNS = """Alliance Network Forum Council Foundation Collective Association Union Initiative Centre Coalition
Committee Federation Fund Institute Society Movement Platform Trust Group""".split()


def parse_size(text: str) -> int:
    """A size such as ``100k``, ``1M``, ``2.5M`` or ``250000`` as a triple count.

    >>> parse_size("100k"), parse_size("1M"), parse_size("5m"), parse_size("1234")
    (100000, 1000000, 5000000, 1234)
    """
    text = text.strip()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if scale != 1 else text
    return int(float(number) * scale)


def size_label(count: int) -> str:
    """The short label of a size (``1M``, ``100k``).

    >>> size_label(1_000_000), size_label(100_000), size_label(2_500_000)
    ('1M', '100k', '2.5M')
    """
    if count >= 1_000_000:
        return f"{count / 1_000_000:g}M"
    if count >= 1_000:
        return f"{count / 1_000:g}k"
    return str(count)


def lit(text: str, lang: str | None = "en") -> str:
    """A Turtle string literal, escaped, with an optional language tag."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(text: str, datatype: str) -> str:
    """A typed Turtle literal (``xsd:`` datatype)."""
    return f'"{text}"^^xsd:{datatype}'


def rel(path: str) -> str:
    """A data IRI relative to ``@base``."""
    return f"<{path}>"


class TurtleFile:
    """Writes subject blocks of one file and counts the triples written."""

    def __init__(self, path: Path, syntax: str) -> None:
        self.path = path
        self.syntax = syntax
        self.triples = 0
        self._out: TextIO = path.open("w", encoding="utf-8", newline="\n")
        if syntax == "turtle":
            self._out.write(f"@base <{BASE}> .\n")
            for prefix, iri in PREFIXES.items():
                self._out.write(f"@prefix {prefix}: <{iri}> .\n")
            self._out.write("\n")

    def block(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        """Write one subject with its predicate-object pairs."""
        if not pairs:
            return
        self.triples += len(pairs)
        if self.syntax == "turtle":
            body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
            self._out.write(f"{subject} {body} .\n")
        else:
            s = _full(subject)
            self._out.write("".join(f"{s} {_full(p)} {_full(o)} .\n" for p, o in pairs))

    def close(self) -> None:
        """Close the file."""
        self._out.close()


def _full(term: str) -> str:
    """Expand a Turtle term (prefixed name, relative IRI, literal) to N-Triples."""
    if term == RDF_TYPE:
        return "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    if term.startswith("<"):
        return term if term.startswith("<http") else f"<{BASE}{term[1:]}"
    if term.startswith('"'):
        if "^^xsd:" in term:
            value, _, datatype = term.rpartition("^^xsd:")
            return f"{value}^^<{PREFIXES['xsd']}{datatype}>"
        return term
    if term in ("true", "false"):
        return f'"{term}"^^<{PREFIXES["xsd"]}boolean>'
    prefix, _, local = term.partition(":")
    return f"<{PREFIXES[prefix]}{local}>"


@dataclass
class Weighted:
    """Items drawn with a skewed (Zipf-like) popularity, as actors in reports are."""

    items: list[str]
    cum: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.7 for i in range(len(self.items))))

    def pick(self, rng: random.Random) -> str:
        """One item, popular ones more often."""
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]


@dataclass
class DocPlan:
    """A source document decided before any file is written (others cite its locators)."""

    index: int
    slug: str
    symbol: str
    paragraphs: int
    footnotes: int

    def para(self, n: int) -> str:
        """IRI of paragraph n."""
        return rel(f"doc/{self.slug}/para/{n}")

    def fn(self, n: int) -> str:
        """IRI of footnote n."""
        return rel(f"doc/{self.slug}/fn/{n}")

    @property
    def iri(self) -> str:
        """IRI of the document."""
        return rel(f"doc/{self.slug}")


@dataclass
class Provision:
    """A provision, with the obligations it establishes (filled in later)."""

    iri: str
    obligations: list[str] = field(default_factory=list)


class Generator:
    """Writes the folder; see the module docstring for what each file holds."""

    def __init__(self, target: int, seed: int, out: Path, syntax: str = "turtle") -> None:
        self.target = target
        self.seed = seed
        self.out = out
        self.syntax = syntax
        self.rng = random.Random(seed)
        self.files: dict[str, int] = {}
        self.total = 0
        self.states: list[str] = []
        self.actors: dict[str, list[str]] = {}
        self.persons: list[str] = []
        self.provisions: list[Provision] = []
        self.obligations: list[str] = []
        self.instruments: list[str] = []
        self.docs: list[DocPlan] = []
        self.samples: dict[str, list[str]] = {"practices": [], "documents": [], "states": [], "obligations": []}
        self.counts: dict[str, int] = {}

    # ------------------------------------------------------------------ helpers
    def text(self, low: int = 9, high: int = 18) -> str:
        """A synthetic description (own words: random vocabulary, never a source sentence)."""
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def open(self, name: str) -> TurtleFile:
        """Start a file of the folder."""
        return TurtleFile(self.out / name, self.syntax)

    def done(self, file: TurtleFile) -> None:
        """Finish a file and add its count."""
        file.close()
        self.files[file.path.name] = file.triples
        self.total += file.triples

    def count(self, kind: str, n: int = 1) -> None:
        """Count generated nodes by kind (for the manifest)."""
        self.counts[kind] = self.counts.get(kind, 0) + n

    def locator(self, docs: list[DocPlan] | None = None) -> str:
        """A paragraph or footnote of a planned document (the first few by default)."""
        doc = self.rng.choice(docs or self.docs[: max(1, min(len(self.docs), 12))])
        if self.rng.random() < 0.75:
            return doc.para(self.rng.randint(1, doc.paragraphs))
        return doc.fn(self.rng.randint(1, doc.footnotes))

    def any_actor(self) -> str:
        """An actor of any kind, States most often."""
        kind = self.rng.choices(["state", "io", "cso", "city", "business", "union"], [50, 15, 18, 10, 5, 2])[0]
        return self.pick_actor(kind)

    def pick_actor(self, kind: str) -> str:
        """A popular-weighted actor of one kind."""
        pool = self._pools[kind]
        return pool.pick(self.rng)

    # ------------------------------------------------------------------ plan
    def plan_documents(self, count: int) -> None:
        """Decide the next ``count`` documents (symbol, paragraph and footnote counts)."""
        start = len(self.docs)
        for i in range(start, start + count):
            number = 100 + i
            self.docs.append(
                DocPlan(
                    index=i,
                    slug=f"A-SYN-{number}",
                    symbol=f"A/SYN/{number}",
                    paragraphs=self.rng.randint(40, 140),
                    footnotes=self.rng.randint(40, 120),
                )
            )

    # ------------------------------------------------------------------ reference sets
    def write_states(self) -> None:
        """Every ISO 3166 State, as states.ttl has them."""
        import pycountry

        file = self.open("states.ttl")
        countries = sorted(pycountry.countries, key=lambda c: c.alpha_3)
        for number, country in enumerate(countries):
            iri = rel(f"actor/state/{country.alpha_3}")
            self.states.append(iri)
            pairs = [
                (RDF_TYPE, "skg:State"),
                ("rdfs:label", lit(country.name)),
                ("dcterms:description", lit(f"Synthetic State record number {number} for the benchmark.")),
            ]
            official = getattr(country, "official_name", None)
            if official:
                pairs.append(("skos:altLabel", lit(official)))
            pairs += [
                ("skg:isoAlpha2", lit(country.alpha_2, None)),
                ("skg:isoAlpha3", lit(country.alpha_3, None)),
                ("skg:isoNumeric", lit(country.numeric, None)),
            ]
            file.block(iri, pairs)
        self.count("State", len(countries))
        self.done(file)
        shuffled = list(self.states)
        self.rng.shuffle(shuffled)
        self.states_weighted = Weighted(shuffled)

    def write_actors(self) -> None:
        """Organisations, cities, civil society, businesses, unions and persons."""
        t = self.target
        plan = [
            ("io", "InternationalOrganisation", 20 + t // 50_000),
            ("regional", "RegionalOrganisation", 8),
            ("city", "LocalGovernment", 30 + t // 5_000),
            ("cso", "CivilSocietyOrganisation", 60 + t // 2_000),
            ("business", "Business", 10 + t // 20_000),
            ("union", "TradeUnion", 5 + t // 50_000),
            ("religious", "ReligiousBody", 5 + t // 50_000),
        ]
        per_file = 6_000
        file = self.open("actors-01.ttl")
        files = 1
        for kind, cls, count in plan:
            iris = []
            for i in range(count):
                iri = rel(f"actor/{kind}/syn-{kind}-{i:05d}")
                iris.append(iri)
                name = (
                    f"{self.rng.choice(ADJECTIVES).capitalize()} {self.rng.choice(WORDS).capitalize()} "
                    f"{self.rng.choice(ORG_NOUNS)} {i}"
                )
                pairs = [(RDF_TYPE, f"skg:{cls}"), ("rdfs:label", lit(name)), ("dcterms:description", lit(self.text()))]
                if kind in ("io", "regional") and i > 0 and self.rng.random() < 0.4:
                    pairs.append(("skg:subOrganisationOf", iris[self.rng.randrange(i)]))
                elif kind == "city":
                    pairs.append(("skg:partOfState", self.states_weighted.pick(self.rng)))
                elif kind in ("cso", "business", "union", "religious"):
                    pairs.append(("skg:basedIn", self.states_weighted.pick(self.rng)))
                    if self.rng.random() < 0.3:
                        pairs.append(("skos:altLabel", lit(name.split()[-2] + " " + str(i))))
                file.block(iri, pairs)
                if file.triples >= per_file:
                    self.done(file)
                    files += 1
                    file = self.open(f"actors-{files:02d}.ttl")
            self.actors[kind] = iris
            self.count(cls, count)
        for i in range(10 + self.target // 100_000):
            iri = rel(f"person/syn-person-{i:04d}")
            self.persons.append(iri)
            name = f"{self.rng.choice(ADJECTIVES).capitalize()} Person {i}"
            file.block(
                iri,
                [
                    (RDF_TYPE, "skg:Person"),
                    ("rdfs:label", lit(name)),
                    ("foaf:name", lit(name, None)),
                    ("dcterms:description", lit(self.text(6, 10))),
                ],
            )
        self.count("Person", len(self.persons))
        self.done(file)
        self._pools = {"state": self.states_weighted}
        for kind, iris in self.actors.items():
            shuffled = list(iris)
            self.rng.shuffle(shuffled)
            self._pools[kind] = Weighted(shuffled)
        self._pools["io"] = Weighted(self.actors["io"] + self.actors["regional"])

    def duty_bearers(self) -> list[str]:
        """One or two duty-bearers: an actor-type concept (most often all States) or an actor."""
        bearers = []
        for _ in range(1 if self.rng.random() < 0.8 else 2):
            roll = self.rng.random()
            if roll < 0.42:
                bearers.append("atype:state")
            elif roll < 0.52:
                bearers.append("atype:international-organisation")
            elif roll < 0.62:
                bearers.append("atype:non-state-actor")
            elif roll < 0.68:
                bearers.append(f"atype:{self.rng.choice(ACTOR_TYPES[3:])}")
            else:
                bearers.append(self.any_actor())
        return list(dict.fromkeys(bearers))

    def write_instruments(self) -> None:
        """Instruments, versions, provisions, correspondences and obligations, ~20 instruments a file."""
        count = 10 + self.target // 4_000
        per_file = 20
        file = None
        for i in range(count):
            if i % per_file == 0:
                if file is not None:
                    self.done(file)
                file = self.open(f"instruments-{i // per_file + 1:03d}.ttl")
            assert file is not None
            self.write_instrument(file, i)
        if file is not None:
            self.done(file)

    def write_instrument(self, file: TurtleFile, i: int) -> None:
        """Instrument number i with its versions, each version's provisions and the correspondences between them."""
        cls, force = self.rng.choice(INSTRUMENT_CLASSES)
        work = f"instrument/syn-{i:05d}"
        iri = rel(work)
        self.instruments.append(iri)
        year = self.rng.randint(1948, 2024)
        file.block(
            iri,
            [
                (RDF_TYPE, f"skg:{cls}"),
                (
                    "rdfs:label",
                    lit(f"{self.rng.choice(ADJECTIVES).capitalize()} {cls.lower()} on {self.rng.choice(PURPOSES_LIST)} ({year})"),
                ),
                ("dcterms:description", lit(self.text())),
                ("skg:bindingForce", f"force:{force}"),
                ("skg:date", typed(str(year), "gYear")),
                ("skg:concernsRight", f"right:{self.rng.choice(RIGHTS)}"),
                ("skg:theme", f"theme:{self.rng.choice(THEMES)}"),
            ],
        )
        self.count("Instrument")
        previous: list[str] = []
        previous_version = None
        for v in range(self.rng.choice([1, 1, 2, 2, 3])):
            version_year = year + 3 * v
            version = f"{work}/{version_year}"
            self.write_instrument_version(file, i, v, iri, force, version, version_year, previous_version)
            current = [
                self.write_provision(file, i, v, version, version_year, art) for art in range(1, self.rng.randint(8, 30) + 1)
            ]
            self.write_correspondences(file, i, version_year, previous, current)
            previous, previous_version = current, version

    def write_instrument_version(
        self,
        file: TurtleFile,
        i: int,
        v: int,
        instrument: str,
        force: str,
        version: str,
        version_year: int,
        previous_version: str | None,
    ) -> None:
        """Version v of instrument i, linked to the one before."""
        version_pairs = [
            (RDF_TYPE, "skg:InstrumentVersion"),
            ("rdfs:label", lit(f"Version {v + 1} of instrument {i} ({version_year})")),
            ("dcterms:description", lit(self.text(6, 12))),
            ("skg:versionOf", instrument),
            ("skg:date", typed(str(version_year), "gYear")),
            ("skg:bindingForce", f"force:{force}"),
            ("skg:publishedIn", self.docs[self.rng.randrange(min(len(self.docs), 12))].iri),
        ]
        if previous_version:
            version_pairs.append(("skg:previousVersion", rel(previous_version)))
        file.block(rel(version), version_pairs)
        self.count("InstrumentVersion")

    def write_provision(self, file: TurtleFile, i: int, v: int, version: str, version_year: int, art: int) -> str:
        """Article art of a version (now and then without a known number) and its obligations; return its IRI."""
        unknown = self.rng.random() < 0.04
        path = f"{version}/unnumbered/p{art}" if unknown else f"{version}/art/{art}"
        prov_iri = rel(path)
        pairs = [
            (RDF_TYPE, "skg:Provision"),
            ("rdfs:label", lit(f"Instrument {i}, version {v + 1}, article {art}")),
            ("dcterms:description", lit(self.text())),
            ("skg:inVersion", rel(version)),
            ("skg:eId", lit(f"unnumbered_p{art}" if unknown else f"art_{art}", None)),
            ("skg:numberStatus", "numstatus:unknown" if unknown else "numstatus:known"),
            ("skg:provisionLevel", "level:article"),
            ("skg:concernsRight", f"right:{self.rng.choice(RIGHTS)}"),
            ("prov:wasDerivedFrom", self.locator()),
        ]
        if not unknown:
            pairs.append(("skg:number", lit(str(art), None)))
        file.block(prov_iri, pairs)
        provision = Provision(prov_iri)
        self.provisions.append(provision)
        self.count("Provision")
        for k in range(self.rng.choices([0, 1, 2], [35, 50, 15])[0]):
            self.write_obligation(file, provision, f"syn-{i:05d}-{version_year}-{art}-{k}")
        return prov_iri

    def write_correspondences(self, file: TurtleFile, i: int, version_year: int, previous: list[str], current: list[str]) -> None:
        """For about half the articles, how article n of the previous version corresponds to article n of this one."""
        for n, (old, new) in enumerate(zip(previous, current, strict=False)):
            if self.rng.random() < 0.5:
                file.block(
                    rel(f"correspondence/syn-{i:05d}-{version_year}-{n}"),
                    [
                        (RDF_TYPE, "skg:ProvisionCorrespondence"),
                        ("rdfs:label", lit(f"Instrument {i}: article {n + 1} across versions")),
                        ("skg:fromProvision", old),
                        ("skg:toProvision", new),
                        ("skg:correspondenceType", f"corr:{self.rng.choice(CORRESPONDENCE)}"),
                        ("prov:wasDerivedFrom", self.locator()),
                    ],
                )
                self.count("ProvisionCorrespondence")

    def write_obligation(self, file: TurtleFile, provision: Provision, slug: str) -> None:
        """One obligation established by a provision."""
        iri = rel(f"obligation/{slug}")
        bearers = self.duty_bearers()
        pairs = [
            (RDF_TYPE, "skg:Obligation"),
            ("rdfs:label", lit(f"Duty to {self.rng.choice(DUTY)} {self.rng.choice(PURPOSES_LIST)} ({slug})")),
            ("dcterms:description", lit(self.text())),
        ]
        pairs += [("skg:dutyBearer", b) for b in bearers]
        pairs += [("skg:owedTo", f"holder:{h}") for h in self.rng.sample(HOLDERS, self.rng.randint(1, 2))]
        pairs.append(("skg:establishedBy", provision.iri))
        pairs += [("skg:dutyType", f"duty:{d}") for d in self.rng.sample(DUTY, self.rng.randint(1, 3))]
        pairs.append(("skg:modality", f"modality:{self.rng.choice(MODALITY)}"))
        if self.rng.random() < 0.2:
            pairs.append(("skg:jointly", "true"))
        pairs += [("prov:wasDerivedFrom", self.locator()) for _ in range(self.rng.randint(1, 2))]
        file.block(iri, pairs)
        provision.obligations.append(iri)
        self.obligations.append(iri)
        self.count("Obligation")

    # ------------------------------------------------------------------ source documents
    def write_document(self, doc: DocPlan) -> None:
        """One source document with its locators, practices and recommendations."""
        rng = self.rng
        file = self.open(f"doc-{doc.slug.lower()}.ttl")
        year = rng.randint(2005, 2024)
        file.block(
            doc.iri,
            [
                (RDF_TYPE, "skg:Document"),
                ("rdfs:label", lit(f"{doc.symbol}: synthetic report on {rng.choice(PURPOSES_LIST)} ({year})")),
                ("dcterms:description", lit(self.text())),
                ("skg:documentSymbol", lit(doc.symbol, None)),
                ("dcterms:title", lit(f"Report {doc.index} on international solidarity")),
                ("skg:date", typed(str(year), "gYear")),
                ("skg:author", rng.choice(self.persons)),
                ("skg:publishedBy", self.pick_actor("io")),
                ("skg:theme", f"theme:{rng.choice(THEMES)}"),
            ],
        )
        self.count("Document")
        for n in range(1, doc.paragraphs + 1):
            file.block(
                doc.para(n),
                [
                    (RDF_TYPE, "skg:Paragraph"),
                    ("dcterms:isPartOf", doc.iri),
                    ("skg:locatorLabel", lit(f"{doc.symbol}, para. {n}", None)),
                    ("skg:locatorNumber", lit(str(n), None)),
                ],
            )
        for n in range(1, doc.footnotes + 1):
            file.block(
                doc.fn(n),
                [
                    (RDF_TYPE, "skg:Footnote"),
                    ("dcterms:isPartOf", doc.iri),
                    ("skg:locatorLabel", lit(f"{doc.symbol}, fn. {n}", None)),
                    ("skg:locatorNumber", lit(str(n), None)),
                ],
            )
        self.count("Paragraph", doc.paragraphs)
        self.count("Footnote", doc.footnotes)
        practices: list[str] = []
        self.mentioned: set[tuple[str, str]] = set()
        body = int(doc.paragraphs * 0.8)
        for para in range(1, body + 1):
            for k in range(rng.choices([0, 1, 2, 3], [15, 40, 30, 15])[0]):
                practices.append(self.write_practice(file, doc, para, k + 1))
        letters = "abcdefgh"
        for para in range(body + 1, doc.paragraphs + 1):
            for letter in letters[: rng.randint(0, 5)]:
                self.write_recommendation(file, doc, para, letter, practices)
        self.done(file)

    def write_practice(self, file: TurtleFile, doc: DocPlan, para: int, k: int) -> str:
        """One practice with its links, and the nodes that hang on it."""
        rng = self.rng
        cls, ptype, _ = rng.choices(PRACTICE_CLASSES, [w for *_, w in PRACTICE_CLASSES])[0]
        slug = f"{doc.slug}-{para}-{k}"
        iri = rel(f"practice/{slug}")
        paragraph = doc.para(para)
        footnote = doc.fn(rng.randint(1, doc.footnotes)) if rng.random() < 0.5 else None
        pairs = self.practice_type_and_label(cls, ptype, slug)
        actors = self.practice_actors()
        pairs += [("skg:carriedOutBy", a) for a in actors] if actors else [("skg:involves", "atype:state")]
        targets = [self.any_actor()] if rng.random() < 0.4 else []
        pairs += [("skg:targets", t) for t in targets]
        location = self.practice_location()
        if location is not None:
            pairs.append(("skg:location", location))
        unnamed_state = next((a for a in actors if "/state/" in a), None) if footnote else None
        if unnamed_state:
            pairs.append(("skg:mentionedAs", lit(f"one {rng.choice(['European', 'African', 'Asian', 'American'])} State", None)))
        pairs += [(rng.choice(["skg:affects", "skg:benefits"]), f"holder:{h}") for h in rng.sample(HOLDERS, rng.randint(1, 2))]
        pairs.append(("skg:theme", f"theme:{rng.choice(THEMES)}"))
        if rng.random() < 0.5:
            pairs.append(("skg:concernsRight", f"right:{rng.choice(RIGHTS)}"))
        provisions = self.practice_provisions()
        link = "skg:expressesProvision" if cls in ("GoodPractice", "MandateActivity") else "skg:runsAgainstProvision"
        pairs += [(link, p.iri) for p in provisions]
        obligations = self.practice_obligations(provisions)
        pairs += [("skg:relatesToObligation", o) for o in obligations]
        if cls == "GoodPractice" and rng.random() < 0.35:
            pairs.append(("skg:invokesInstrument", rng.choice(self.instruments)))
        pairs.append(("skg:date", typed(str(rng.randint(1995, 2024)), "gYear")))
        pairs += [("prov:wasDerivedFrom", locator) for locator in (paragraph, footnote) if locator]
        file.block(iri, pairs)
        self.count("Practice")
        self.count(cls)
        self.write_mentions(file, actors + targets, paragraph)
        if unnamed_state and footnote:
            self.write_identification(file, slug, iri, unnamed_state, footnote)
        if obligations and rng.random() < 0.2:
            self.write_assessment(file, slug, iri, obligations[0], paragraph)
        if actors and rng.random() < 0.3:
            self.write_involvement(file, slug, iri, actors[0], paragraph)
        if obligations and provisions and any("/state/" in a for a in actors):
            self.samples["practices"].append(BASE + iri[1:-1])
        return iri

    def practice_type_and_label(self, cls: str, ptype: str, slug: str) -> list[tuple[str, str]]:
        """A practice's class, label, description and practice type (and gap kind, for a solidarity gap)."""
        rng = self.rng
        pairs = [
            (RDF_TYPE, f"skg:{cls}"),
            (
                "rdfs:label",
                lit(f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} for {rng.choice(PURPOSES_LIST)} ({slug})"),
            ),
            ("dcterms:description", lit(self.text())),
            ("skg:practiceType", f"ptype:{ptype}"),
        ]
        if cls == "SolidarityGap":
            pairs.append(("skg:gapKind", f"gap:{rng.choice(GAP_KINDS)}"))
        return pairs

    def practice_actors(self) -> list[str]:
        """Who carried a practice out (one or two actors, States most often), or none: then "a State" is involved."""
        rng = self.rng
        if rng.random() >= 0.9:
            return []
        return list(
            dict.fromkeys(
                self.states_weighted.pick(rng) if rng.random() < 0.55 else self.any_actor() for _ in range(rng.randint(1, 2))
            )
        )

    def practice_location(self) -> str | None:
        """Where a practice took place, a State or a city, if the source says."""
        rng = self.rng
        if rng.random() < 0.8:
            return self.states_weighted.pick(rng) if rng.random() < 0.75 else self.pick_actor("city")
        return None

    def practice_provisions(self) -> list[Provision]:
        """The provisions a practice expresses or runs against (often none)."""
        rng = self.rng
        return rng.sample(self.provisions, rng.randint(1, 2)) if rng.random() < 0.65 else []

    def practice_obligations(self, provisions: list[Provision]) -> list[str]:
        """The obligations a practice relates to: often those of its provisions, else any (often none)."""
        rng = self.rng
        obligations: list[str] = []
        if rng.random() < 0.7:
            for _ in range(rng.randint(1, 3)):
                linked = [o for p in provisions for o in p.obligations]
                obligations.append(rng.choice(linked) if linked and rng.random() < 0.5 else rng.choice(self.obligations))
            obligations = list(dict.fromkeys(obligations))
        return obligations

    def write_mentions(self, file: TurtleFile, actors: list[str], paragraph: str) -> None:
        """Each actor is mentioned in the paragraph (once per document and paragraph)."""
        for actor in dict.fromkeys(actors):
            if (actor, paragraph) not in self.mentioned:
                self.mentioned.add((actor, paragraph))
                file.block(actor, [("skg:mentionedIn", paragraph)])

    def write_identification(self, file: TurtleFile, slug: str, practice: str, state: str, footnote: str) -> None:
        """The State a practice's text leaves unnamed, identified in a footnote."""
        file.block(
            rel(f"identification/{slug}"),
            [
                (RDF_TYPE, "skg:Identification"),
                ("rdfs:label", lit(f"State of practice {slug}, identified in a footnote")),
                ("dcterms:description", lit(self.text(6, 10))),
                ("skg:identifiesIn", practice),
                ("skg:identifiedActor", state),
                ("skg:mentionedAs", lit("one State", None)),
                ("prov:wasDerivedFrom", footnote),
            ],
        )
        self.count("Identification")

    def write_assessment(self, file: TurtleFile, slug: str, practice: str, obligation: str, paragraph: str) -> None:
        """The curators' reading of a practice against an obligation."""
        file.block(
            rel(f"assessment/{slug}"),
            [
                (RDF_TYPE, "skg:Assessment"),
                ("rdfs:label", lit(f"Curators' reading of practice {slug}")),
                ("dcterms:description", lit(self.text(6, 10))),
                ("skg:assessedPractice", practice),
                ("skg:assessedAgainst", obligation),
                ("skg:assessmentType", f"assess:{self.rng.choice(ASSESSMENTS)}"),
                ("skg:caveat", lit("The link is the curators' reading; the source does not state it.")),
                ("prov:wasDerivedFrom", paragraph),
            ],
        )
        self.count("Assessment")

    def write_involvement(self, file: TurtleFile, slug: str, practice: str, actor: str, paragraph: str) -> None:
        """The role an actor played in a practice."""
        file.block(
            rel(f"involvement/{slug}"),
            [
                (RDF_TYPE, "skg:Involvement"),
                ("rdfs:label", lit(f"Role of an actor in practice {slug}")),
                ("skg:agent", actor),
                ("skg:inPractice", practice),
                ("skg:role", f"role:{self.rng.choice(ROLES)}"),
                ("prov:wasDerivedFrom", paragraph),
            ],
        )
        self.count("Involvement")

    def write_recommendation(self, file: TurtleFile, doc: DocPlan, para: int, letter: str, practices: list[str]) -> None:
        """One recommendation (a lettered sub-paragraph) addressed to actors or actor types."""
        rng = self.rng
        locator = rel(f"doc/{doc.slug}/para/{para}/{letter}")
        file.block(
            locator,
            [
                (RDF_TYPE, "skg:Paragraph"),
                ("dcterms:isPartOf", doc.iri),
                ("skg:locatorLabel", lit(f"{doc.symbol}, para. {para} ({letter})", None)),
                ("skg:locatorNumber", lit(f"{para}", None)),
            ],
        )
        addressees = [
            f"atype:{rng.choice(ACTOR_TYPES)}" if rng.random() < 0.6 else self.any_actor() for _ in range(rng.randint(1, 2))
        ]
        pairs = [
            (RDF_TYPE, "skg:Recommendation"),
            ("rdfs:label", lit(f"Recommendation {doc.symbol} {para} ({letter}) on {rng.choice(PURPOSES_LIST)}")),
            ("dcterms:description", lit(self.text())),
        ]
        pairs += [("skg:addressedTo", a) for a in dict.fromkeys(addressees)]
        if practices:
            pairs += [("skg:respondsTo", p) for p in dict.fromkeys(rng.sample(practices, min(len(practices), 2)))]
        pairs += [("skg:theme", f"theme:{rng.choice(THEMES)}"), ("prov:wasDerivedFrom", locator)]
        file.block(rel(f"recommendation/{doc.slug}-{para}-{letter}"), pairs)
        self.count("Recommendation")

    # ------------------------------------------------------------------ driver
    def run(self) -> dict[str, object]:
        """Write every file and the manifest; return the manifest."""
        self.out.mkdir(parents=True, exist_ok=True)
        for old in self.out.glob("*.ttl"):
            old.unlink()
        started = time.perf_counter()
        self.plan_documents(12)
        self.write_states()
        self.write_actors()
        self.write_instruments()
        written = 0
        while self.total < self.target or written < min(len(self.docs), 12):
            if written == len(self.docs):
                self.plan_documents(12)
            self.write_document(self.docs[written])
            written += 1
        documents = self.docs[:written]
        sample_rng = random.Random(self.seed + 1)
        practices = self.samples["practices"]
        chosen = sample_rng.sample(practices, min(len(practices), 32))
        manifest: dict[str, object] = {
            "generator_version": GENERATOR_VERSION,
            "target": self.target,
            "seed": self.seed,
            "syntax": self.syntax,
            "triples": self.total,
            "files": self.files,
            "nodes": dict(sorted(self.counts.items())),
            "samples": {
                "practices": chosen,
                "documents": [BASE + d.iri[1:-1] for d in documents if d.footnotes >= 78 and d.paragraphs >= 40][:16],
                "states": [BASE + s[1:-1] for s in self.states_weighted.items[:16]],
                "obligations": [BASE + o[1:-1] for o in sample_rng.sample(self.obligations, min(len(self.obligations), 16))],
            },
            "seconds": round(time.perf_counter() - started, 2),
        }
        (self.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        return manifest


def generate(target: int, seed: int, out: Path, syntax: str = "turtle") -> dict[str, object]:
    """Write a synthetic folder of about ``target`` triples; return its manifest."""
    return Generator(target, seed, out, syntax).run()


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python bench/generate.py --size 1M --seed 42 --out DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", help="triples to generate: 100k, 1M, 5M or a number (default 100k)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (its *.ttl files are replaced)")
    parser.add_argument(
        "--syntax",
        choices=["turtle", "ntriples"],
        default="turtle",
        help="Turtle with prefixes, or N-Triples lines (still in .ttl files, valid Turtle)",
    )
    args = parser.parse_args(argv)
    manifest = generate(parse_size(args.size), args.seed, args.out, args.syntax)
    print(
        f"{manifest['triples']} triples in {len(manifest['files'])} files -> {args.out} "  # type: ignore[arg-type]
        f"({manifest['seconds']} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
