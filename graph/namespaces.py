"""Our namespaces and the single prefix map used everywhere.

``PREFIXES`` and ``BASE`` are plain strings. ``SKG`` is a closed rdflib
namespace (a typo in a term raises instead of minting a new IRI), pinned by
``tests/graph/test_namespaces.py`` to the terms of ``ontology/solidarity.ttl``;
it and the other rdflib namespaces are built on first use, so that modules
needing only the prefix strings (the query workers) do not import rdflib.
"""

from __future__ import annotations

from typing import Any

BASE = "https://w3id.org/solidarity-kg/"

PREFIXES: dict[str, str] = {
    "skg": BASE + "ontology#",
    "skgv": BASE + "vocab/",
    "skgd": BASE + "id/",
    "skgsh": BASE + "shapes#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "sh": "http://www.w3.org/ns/shacl#",
}
"""The one prefix map: SPARQL prologues, Turtle output and CURIE expansion."""


def _build() -> dict[str, Any]:
    from rdflib.namespace import DefinedNamespace, Namespace
    from rdflib.term import URIRef

    class SKG(DefinedNamespace):
        """The solidarity-kg ontology (``skg:``)."""

        _NS = Namespace(BASE + "ontology#")
        _fail = True

        # classes
        AbusiveDeployment: URIRef
        AcademicInstitution: URIRef
        Actor: URIRef
        ActorType: URIRef
        Agreement: URIRef
        AnnexItem: URIRef
        Assessment: URIRef
        Business: URIRef
        Citation: URIRef
        CivilSocietyOrganisation: URIRef
        CollectiveActor: URIRef
        Criminalisation: URIRef
        Decision: URIRef
        Declaration: URIRef
        Document: URIRef
        DraftDeclaration: URIRef
        DraftingPhase: URIRef
        DutyBearer: URIRef
        Evidence: URIRef
        Figure: URIRef
        Footnote: URIRef
        Goal: URIRef
        GoodPractice: URIRef
        GroupOfStates: URIRef
        Heading: URIRef
        Identification: URIRef
        Instrument: URIRef
        InstrumentVersion: URIRef
        InternationalOrganisation: URIRef
        Involvement: URIRef
        LegalAction: URIRef
        LocalGovernment: URIRef
        Locator: URIRef
        Mandate: URIRef
        MandateActivity: URIRef
        MandateTerm: URIRef
        MethodOfWork: URIRef
        NationalMeasure: URIRef
        NonStateActor: URIRef
        Obligation: URIRef
        Paragraph: URIRef
        Person: URIRef
        Place: URIRef
        Practice: URIRef
        PressRelease: URIRef
        ProposedMeasure: URIRef
        Provision: URIRef
        ProvisionCorrespondence: URIRef
        Recommendation: URIRef
        RegionalOrganisation: URIRef
        ReligiousBody: URIRef
        Report: URIRef
        Resolution: URIRef
        Right: URIRef
        RightsHolder: URIRef
        RightsHolderCategory: URIRef
        Section: URIRef
        SolidarityGap: URIRef
        State: URIRef
        StateOrgan: URIRef
        ThematicPriority: URIRef
        TradeUnion: URIRef
        Treaty: URIRef

        # object properties
        abstentionBy: URIRef
        actorClass: URIRef
        actorType: URIRef
        addressedTo: URIRef
        adoptedBy: URIRef
        affects: URIRef
        agent: URIRef
        appliesTo: URIRef
        appointedUnder: URIRef
        approximation: URIRef
        assertionMethod: URIRef
        assessedAgainst: URIRef
        assessedBy: URIRef
        assessedPractice: URIRef
        assessmentType: URIRef
        author: URIRef
        basedIn: URIRef
        benefits: URIRef
        bindingForce: URIRef
        carriedOutBy: URIRef
        citationOf: URIRef
        concernsInstrument: URIRef
        concernsRight: URIRef
        correspondenceType: URIRef
        createdBy: URIRef
        describedIn: URIRef
        dutyBearer: URIRef
        dutyType: URIRef
        establishedBy: URIRef
        evidence: URIRef
        expressesProvision: URIRef
        figureOf: URIRef
        fromProvision: URIRef
        gapKind: URIRef
        holder: URIRef
        identifiedActor: URIRef
        identifiesIn: URIRef
        inInstrument: URIRef
        inPractice: URIRef
        inSection: URIRef
        inVersion: URIRef
        invokesInstrument: URIRef
        involves: URIRef
        location: URIRef
        mandate: URIRef
        member: URIRef
        memberOf: URIRef
        mentionedIn: URIRef
        modality: URIRef
        numberStatus: URIRef
        organOf: URIRef
        owedTo: URIRef
        partOfProvision: URIRef
        partOfSection: URIRef
        partOfState: URIRef
        practiceType: URIRef
        previousVersion: URIRef
        provisionLevel: URIRef
        publishedBy: URIRef
        publishedIn: URIRef
        reaffirmedBy: URIRef
        relatesToObligation: URIRef
        renewedBy: URIRef
        requests: URIRef
        respondsTo: URIRef
        role: URIRef
        runsAgainstProvision: URIRef
        sameEpisodeAs: URIRef
        subOrganisationOf: URIRef
        supportedBy: URIRef
        targets: URIRef
        thematicPriorityOf: URIRef
        theme: URIRef
        toProvision: URIRef
        unit: URIRef
        versionOf: URIRef
        votedAgainstBy: URIRef

        # datatype properties
        caveat: URIRef
        citedNumber: URIRef
        confidence: URIRef
        counts: URIRef
        date: URIRef
        documentSymbol: URIRef
        eId: URIRef
        endDate: URIRef
        externalSource: URIRef
        figureUpperValue: URIRef
        figureValue: URIRef
        headingText: URIRef
        isoAlpha2: URIRef
        isoAlpha3: URIRef
        isoNumeric: URIRef
        jointly: URIRef
        letter: URIRef
        locatorLabel: URIRef
        locatorNumber: URIRef
        mentionedAs: URIRef
        number: URIRef
        order: URIRef
        resolutionNumber: URIRef
        sectionNumber: URIRef
        shortName: URIRef
        startDate: URIRef
        termYears: URIRef

    return {
        "SKG": SKG,
        "SKGV": Namespace(BASE + "vocab/"),
        "SKGD": Namespace(BASE + "id/"),
        "SKGSH": Namespace(BASE + "shapes#"),
        "GRAPH": Namespace(BASE + "graph/"),
    }


def __getattr__(name: str) -> Any:
    if name in ("SKG", "SKGV", "SKGD", "SKGSH", "GRAPH"):
        globals().update(_build())
        return globals()[name]
    raise AttributeError(f"module 'graph.namespaces' has no attribute {name!r}")
