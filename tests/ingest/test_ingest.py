"""Ingest: segmentation, linking, the draft and its report, the CLI and POST /ingest, on an invented report.

The five sources are read where ``../shared/sources`` is at hand, to check the
segmentation against the curated locators; everything else uses the small
report the tests write themselves (``tests/ingest/synthetic.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import create_app
from api.cli import main
from api.settings import REPOSITORY
from graph.backends.oxigraph import OxigraphStore
from graph.ingest import DocumentInfo, Gazetteer, IngestError, analyse, gazetteer_of, prepare, segment, write_draft
from graph.ingest.linking import Linker
from graph.loader import content_sources, load_sources
from graph.locator_index import SOURCE_FILES
from graph.store import select
from graph.validation import validate_files
from tests.conftest import SOURCES, assert_error, memory_settings
from tests.ingest.synthetic import HTML, REPORT, pdf_of

ID = "https://w3id.org/solidarity-kg/id/"
TOKEN = "a-test-token-of-enough-length"  # noqa: S105 - the test service's own token


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    loaded = OxigraphStore()
    load_sources(loaded, content_sources(REPOSITORY / "ontology", REPOSITORY / "data"))
    return loaded


@pytest.fixture(scope="module")
def gazetteer(store: OxigraphStore) -> Gazetteer:
    return gazetteer_of(store)


def test_the_report_is_cut_into_its_locators() -> None:
    segmentation = segment(REPORT)
    keys = [s.key for s in segmentation.segments]
    assert keys == [
        "sect/I", "sect/II", "sect/II-A", "para/1", "para/2", "para/3", "para/4", "para/4/a", "para/4/b", "para/5",
        "fn/1", "fn/2", "fn/3",
    ]  # fmt: skip
    by_key = {s.key: s for s in segmentation.segments}
    assert by_key["sect/II-A"].parent == "sect/II" and by_key["sect/II-A"].number == "II.A"
    assert by_key["para/4/a"].number == "4 (a)" and by_key["para/4/a"].parent == "para/4"
    assert "18-12345" not in by_key["para/4/b"].text and "A/99/123" not in by_key["para/1"].text  # page furniture
    assert by_key["fn/2"].text.startswith("2See")  # a note number glued to its first word
    assert [by_key[k].notes for k in ("para/1", "para/2", "para/3")] == [("1",), ("2",), ("3",)]


def test_html_and_pdf_are_read_like_text() -> None:
    from graph.ingest.reading import document_text

    kind, text = document_text(HTML.encode(), "page.html")
    assert kind == "html" and "not a paragraph" not in text
    assert [s.key for s in segment(text).of_kind("paragraph")] == [f"para/{n}" for n in range(1, 6)]
    kind, text = document_text(pdf_of(REPORT.splitlines()), "report.pdf")
    assert kind == "pdf"
    assert [s.key for s in segment(text).segments] == [s.key for s in segment(REPORT).segments]


def _found(gazetteer: Gazetteer) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    analysis = analyse(REPORT, Linker(gazetteer))
    return {(m.locator, m.text): (m.status, m.nodes) for m in analysis.mentions}


def test_mentions_are_linked_to_the_nodes_of_the_graph(gazetteer: Gazetteer) -> None:
    found = _found(gazetteer)
    state = ID + "actor/state/"
    assert found[("para/1", "Italy")] == ("linked", (state + "ITA",))
    assert found[("para/2", "Hungarian")] == ("linked", (state + "HUN",))  # a demonym
    assert found[("para/4/a", "Turkey")] == ("linked", (state + "TUR",))  # a former name, in a sub-paragraph
    assert found[("fn/3", "France")] == ("linked", (state + "FRA",))  # the footnote that identifies the State
    assert found[("para/2", "International Organization for Migration")] == ("linked", (ID + "actor/io/iom",))
    assert found[("para/1", "Human Rights Council resolution 35/3")] == ("linked", (ID + "instrument/hrc-res-35-3",))
    assert found[("para/1", "A/HRC/\n38/40".replace("\n", " "))] == ("linked", (ID + "doc/A-HRC-38-40",))  # split
    provision = ID + "instrument/declaration-international-solidarity/2023/art/6/1"
    assert found[("para/4/b", "article 6 (1)")] == ("linked", (provision,))
    assert found[("para/5", "Obiora Chinedu Okafor")] == ("linked", (ID + "person/obiora-chinedu-okafor",))


def test_what_the_graph_lacks_is_proposed_or_left_unlinked(gazetteer: Gazetteer) -> None:
    found = _found(gazetteer)
    assert found[("para/5", "A/88/777")] == ("proposed", (ID + "doc/A-88-777",))  # from the UN symbol
    assert found[("para/1", "Plurinational State of Bolivia")] == ("proposed", (ID + "actor/state/BOL",))  # ISO 3166
    assert found[("para/3", "One European State")] == ("linked", (ID + "actor/state/FRA",))  # identified by fn. 3
    assert found[("para/3", "Office of the Imaginary Commissioner for Ferry Safety")] == ("unlinked", ())


def test_offsets_point_into_the_locator_text(gazetteer: Gazetteer) -> None:
    analysis = analyse(REPORT, Linker(gazetteer))
    texts = {s.key: s.text for s in analysis.segmentation.segments}
    for mention in analysis.mentions:
        assert texts[mention.locator][mention.start : mention.end] == mention.text


def test_the_draft_is_deterministic_conforms_and_is_marked_extracted(gazetteer: Gazetteer, tmp_path: Path) -> None:
    info = DocumentInfo("A/99/123", "An imaginary report", "2019-07", "report")
    first = prepare(REPORT.encode(), info, gazetteer, "report.txt")
    assert first.files == prepare(REPORT.encode(), info, gazetteer, "report.txt").files
    graph = Graph().parse(data=first.files["A-99-123.ttl"].decode(), format="turtle")
    methods = {str(o) for o in graph.objects(None, graph.namespace_manager.expand_curie("skg:assertionMethod"))}
    assert methods == {"https://w3id.org/solidarity-kg/vocab/assertion-method/extracted"}
    assert first.report["mentions"]["linked"] >= 10 and first.report["graph"].endswith("/graph/drafts/A-99-123")
    (tmp_path / "A-99-123.ttl").write_bytes(first.files["A-99-123.ttl"])
    (tmp_path / "states.ttl").write_bytes((REPOSITORY / "data" / "states.ttl").read_bytes())
    report = validate_files(REPOSITORY / "ontology", tmp_path)
    assert report.conforms, report.violations[:3]


@pytest.mark.parametrize(
    ("data", "info", "code"),
    [
        (b"", DocumentInfo("A/99/1"), "empty_document"),
        (b"  \n\n ", DocumentInfo("A/99/1"), "empty_document"),
        (b"%PDF-1.7 this is no PDF at all", DocumentInfo("A/99/1"), "unreadable_document"),
        (b"\x00\x01binary", DocumentInfo("A/99/1"), "unreadable_document"),
        (b"Some prose without any numbers at all.\nAnd more of it.\n", DocumentInfo("A/99/1"), "no_paragraphs"),
        (REPORT.encode(), DocumentInfo("A/73/206"), "already_ingested"),
    ],
)
def test_bad_input_is_refused_with_its_code(gazetteer: Gazetteer, data: bytes, info: DocumentInfo, code: str) -> None:
    with pytest.raises(IngestError) as caught:
        prepare(data, info, gazetteer, "input.txt")
    assert caught.value.code == code and caught.value.message


@pytest.mark.parametrize(
    ("field", "value"), [("symbol", "not a symbol"), ("date", "July 2019"), ("kind", "novel"), ("title", " ")]
)
def test_malformed_options_are_refused(field: str, value: str) -> None:
    options = {"symbol": "A/99/1", field: value}
    with pytest.raises(IngestError, match=field):
        DocumentInfo(**options)  # type: ignore[arg-type]


def test_a_second_draft_of_a_symbol_is_refused_and_leaves_the_first(gazetteer: Gazetteer, tmp_path: Path) -> None:
    draft = prepare(REPORT.encode(), DocumentInfo("A/99/123"), gazetteer, "report.txt")
    paths = write_draft(draft, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(IngestError) as caught:
        prepare(REPORT.encode(), DocumentInfo("A/99/123"), gazetteer, "report.txt", drafts=tmp_path)
    assert caught.value.code == "already_ingested"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before and len(paths) == 3


def test_the_cli_writes_a_draft_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "report.txt"
    source.write_text(REPORT, encoding="utf-8")
    drafts = tmp_path / "drafts"
    arguments = ["ingest", str(source), "--symbol", "A/99/123", "--store", "memory", "--workers", "1", "--output", str(drafts)]
    assert main(arguments) == 0
    assert sorted(p.name for p in drafts.iterdir()) == ["A-99-123.review.json", "A-99-123.review.md", "A-99-123.ttl"]
    assert main(arguments) == 2
    assert "already has a draft" in capsys.readouterr().err
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(tmp_path / "empty.txt"), "--symbol", "A/99/9", "--date", "soon"]) == 2


@pytest.fixture(scope="module")
def ingest_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    drafts = tmp_path_factory.mktemp("drafts")
    settings = memory_settings(ingest_token=TOKEN, drafts_dir=drafts, workers=1)
    with TestClient(create_app(settings)) as client:
        yield client, drafts


def _post(
    client: TestClient, body: bytes, symbol: str = "A/99/124", token: str | None = TOKEN, media: str = "text/plain"
) -> object:
    headers = {"Content-Type": media} | ({"Authorization": f"Bearer {token}"} if token else {})
    return client.post("/ingest", params={"symbol": symbol, "date": "2019"}, content=body, headers=headers)


def test_post_ingest_is_off_without_a_token(client: TestClient) -> None:
    assert_error(_post(client, REPORT.encode()), 404, "not_found")  # type: ignore[arg-type]


def test_post_ingest_needs_the_token_and_writes_once(ingest_client: tuple[TestClient, Path]) -> None:
    client, drafts = ingest_client
    assert_error(_post(client, REPORT.encode(), token=None), 401, "unauthorized")  # type: ignore[arg-type]
    assert_error(_post(client, REPORT.encode(), token="x" * 29), 403, "forbidden")  # type: ignore[arg-type]
    assert not list(drafts.iterdir())
    answer = _post(client, REPORT.encode())
    assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
    assert answer.json()["files"] == ["A-99-124.review.json", "A-99-124.review.md", "A-99-124.ttl"]  # type: ignore[attr-defined]
    assert_error(_post(client, REPORT.encode()), 409, "already_ingested")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "media", "symbol", "status", "code"),
    [
        (b"", "text/plain", "A/99/125", 422, "empty_document"),
        (b"%PDF-1.4 broken", "application/pdf", "A/99/125", 422, "unreadable_document"),
        (REPORT.encode(), "image/png", "A/99/125", 415, "unsupported_format"),
        (REPORT.encode(), "text/plain", "A/73/206", 409, "already_ingested"),
        (REPORT.encode(), "text/plain", "no symbol", 422, "invalid_option"),
        (b"Plain prose, no numbers.\n", "text/plain", "A/99/125", 422, "no_paragraphs"),
    ],
)
def test_post_ingest_refuses_bad_input_and_writes_nothing(
    ingest_client: tuple[TestClient, Path], body: bytes, media: str, symbol: str, status: int, code: str
) -> None:
    client, drafts = ingest_client
    before = sorted(p.name for p in drafts.iterdir())
    assert_error(_post(client, body, symbol=symbol, media=media), status, code)  # type: ignore[arg-type]
    assert sorted(p.name for p in drafts.iterdir()) == before


def _curated(store: OxigraphStore, document: str) -> set[str]:
    rows = select(
        store,
        "SELECT ?l WHERE { ?l <http://purl.org/dc/terms/isPartOf> ?d ; a ?c . "
        "VALUES ?c { <https://w3id.org/solidarity-kg/ontology#Paragraph> <https://w3id.org/solidarity-kg/ontology#Footnote> } }",
        {"d": ("uri", document)},
    )
    return {r["l"]["value"] for r in rows}


@pytest.mark.parametrize("document", [d for d in SOURCE_FILES if "/A-" in d])
def test_the_numbered_sources_are_cut_where_the_curated_data_cite_them(store: OxigraphStore, document: str) -> None:
    if not SOURCES.is_dir():
        pytest.skip(f"source texts not found in {SOURCES} (../shared/sources)")
    found = {f"{document}/{s.key}" for s in segment((SOURCES / SOURCE_FILES[document]).read_text(encoding="utf-8")).segments}
    found = {iri for iri in found if "/para/" in iri or "/fn/" in iri}
    curated = _curated(store, document)
    assert len(found & curated) >= 0.98 * len(curated)
    assert len(found & curated) >= 0.98 * len(found)


@pytest.fixture(scope="module")
def cited() -> Linker:
    from graph.ingest.gazetteer import build_gazetteer
    from tests.ingest.synthetic import CITED_NAMES

    rows = [
        (ID + path, how, text.replace("actor/", ID + "actor/", 1) if how == "published" else text)
        for path, how, text in CITED_NAMES
    ]
    return Linker(build_gazetteer(rows))


def _links(text: str, linker: Linker) -> dict[tuple[str, str], tuple[str, ...]]:
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for mention in analyse(text, linker).mentions:
        if mention.status == "linked":
            found[(mention.locator, mention.text)] = found.get((mention.locator, mention.text), ()) + mention.nodes
    return found


def test_titles_are_read_in_any_case_and_punctuation_and_by_their_variants(cited: Linker) -> None:
    from tests.ingest.synthetic import CITATIONS

    found = _links(CITATIONS, cited)
    icmw = "international convention on the protection of the rights of all migrant workers and members of their families"
    assert found[("para/1", icmw)] == (ID + "instrument/icmw",)  # fifteen words, in lower case
    assert found[("para/1", "Global compact for safe, orderly and regular migration")] == (ID + "instrument/compact",)
    evaluation = "Evaluation of the African Union ferry framework for Africa"  # the acronym AU written out
    assert found[("fn/1", evaluation)] == (ID + "doc/ferry-evaluation",)
    assert found[("fn/1", "African Union")] == (ID + "actor/io/au",)  # a name inside a title is a mention too
    assert found[("fn/4", "Ferries")] == (ID + "doc/ferry-study",)  # a short citation repeats the main title


def test_notes_are_read_for_what_they_repeat_and_where_they_point(cited: Linker) -> None:
    from tests.ingest.synthetic import CITATIONS

    found = _links(CITATIONS, cited)
    assert found[("fn/3", "Ibid.")] == found[("fn/2", "Italy")] + found[("fn/2", "Malta")]  # the previous note's links
    # the last citation of the previous note, after its semicolon: the release and its publisher, not the study
    assert found[("fn/10", "Ibid.")] == (ID + "actor/io/eu", ID + "doc/ferry-release")
    assert found[("fn/5", "22 June 2018")] == (ID + "doc/ferry-release",)  # publisher and date
    assert found[("fn/5", "www.example.org/ferries/ release.html")] == (ID + "doc/ferry-page",)  # an address cut by a break
    assert found[("fn/6", "B8-2018- 0091")] == (ID + "doc/B8-2018-0091",)  # a symbol cut by a break
    resolutions = {text: nodes for (locator, text), nodes in found.items() if locator == "para/3"}
    assert resolutions == {"7/5": (ID + "instrument/hrc-res-7-5",), "17/6": (ID + "instrument/hrc-res-17-6",)}


def test_names_in_compounds_regions_and_languages(cited: Linker) -> None:
    from tests.ingest.synthetic import CITATIONS

    found = _links(CITATIONS, cited)
    assert found[("fn/2", "Italy")] == (ID + "actor/state/ITA",) and found[("fn/2", "Malta")] == (ID + "actor/state/MLT",)
    assert ("para/1", "Spanish") not in found  # the language, not the State
    assert ("para/1", "American") not in found  # North American, Latin American: regions
    # the two countries the paragraph leaves unnamed are the two its footnote names
    assert found[("para/2", "Two Southern European countries")] == (ID + "actor/state/ITA", ID + "actor/state/MLT")


def test_headings_laid_out_like_running_text_and_the_opening_passage() -> None:
    from tests.ingest.synthetic import SUBMISSION

    titles = [s.title for s in segment(SUBMISSION).of_kind("heading")]
    assert titles == [
        "The Independent Expert welcomes this imaginary chance to",  # the opening passage, by its opening words
        "Principles for sharing boats",
        "Safe harbours",
        "Open timetables",
        "Commitments that the towns may take on together along the coast in the coming years",  # a line of its own
        "Shared boats (including small ferries) that the towns lend to each other in storms and floods",  # its run-in title
    ]


def test_the_authors_notes_are_read_with_the_first_section() -> None:
    from tests.ingest.synthetic import ARTICLE

    sections = {s.title: s.text for s in segment(ARTICLE).of_kind("heading")}
    assert list(sections) == ["Introduction", "Ferries and Harbours"]
    assert "Malta" in sections["Introduction"] and "Norway" in sections["Introduction"]
    assert "Malta" not in sections["Ferries and Harbours"] and "storms" in sections["Ferries and Harbours"]


def test_drafts_are_loaded_and_searchable_when_asked(gazetteer: Gazetteer, tmp_path: Path) -> None:
    write_draft(prepare(REPORT.encode(), DocumentInfo("A/99/123"), gazetteer, "report.txt"), tmp_path)
    paragraph = ID + "doc/A-99-123/para/4/a"
    for load, expected in ((True, True), (False, False)):
        with TestClient(create_app(memory_settings(drafts_dir=tmp_path, load_drafts=load))) as client:
            answer = client.get("/search", params={"q": "ferries running"})
            assert answer.status_code == 200
            assert (paragraph in [hit["iri"] for hit in answer.json()["hits"]]) is expected


def test_works_by_designation_date_quoted_label_and_back_reference(cited: Linker) -> None:
    from tests.ingest.synthetic import CITATIONS

    found = _links(CITATIONS, cited)
    assert found[("para/5", "2 March 2019")] == (ID + "instrument/harbour-accord",)  # its kind (accord) and its date
    assert found[("para/5", "general comment No. 7")] == (ID + "instrument/ferry-comment",)  # not a paragraph of it
    assert found[("fn/7", "Harbours and Storms: A Study of Ferries")] == (
        ID + "doc/harbours-and-storms",
    )  # as its label quotes it
    assert found[("para/6", "Global Compact on Migration")] == (ID + "instrument/compact",)  # "on" for "for"
    assert found[("para/6", "1982 Convention")] == (ID + "instrument/sea-convention",)  # its year and its kind
    # "supra note 4" cites again the work of fn. 4, which names Example; fn. 2 does not name Sample: nothing from it
    assert found[("fn/8", "supra note 4")] == (ID + "doc/ferry-study",) and ("fn/8", "supra note 2") not in found


@pytest.mark.parametrize("document", [d for d in SOURCE_FILES if "/A-" not in d])
def test_the_unnumbered_sources_are_cut_at_the_headings_the_curated_data_cite(store: OxigraphStore, document: str) -> None:
    if not SOURCES.is_dir():
        pytest.skip(f"source texts not found in {SOURCES} (../shared/sources)")
    from graph.locator_reading import heading_title

    rows = select(
        store,
        "SELECT ?t WHERE { ?l <http://purl.org/dc/terms/isPartOf> ?d ; "
        "<https://w3id.org/solidarity-kg/ontology#headingText> ?t }",
        {"d": ("uri", document)},
    )
    curated = {heading_title(r["t"]["value"]) for r in rows}
    text = (SOURCES / SOURCE_FILES[document]).read_text(encoding="utf-8")
    found = [heading_title(s.title) for s in segment(text).of_kind("heading")]
    matched = {c for c in curated if any(f == c or f.startswith(c) or c.startswith(f) for f in found)}
    assert len(matched) >= 0.98 * len(curated), sorted(curated - matched)


NAMED_AGAIN = {
    "A-73-206": [
        ("instrument/eu-turkey-joint-action-plan-2015", "para/44"),  # "the 2015 joint action plan", "the joint …"
        ("instrument/eu-turkey-joint-action-plan-2015", "para/45"),  # "this joint action plan"
        ("instrument/global-compact-migration", "para/50/d"),  # "the Global Compact"
        ("instrument/iccpr", "fn/2"),  # "States parties to the Covenant"
        ("instrument/eu-emergency-trust-fund-africa", "fn/119"),  # at the start of the cited page's title
        ("instrument/ecsr-cec-v-netherlands-90-2013", "para/32"),  # "the Conference of European Churches case"
        ("instrument/icerd", "para/50/f"),  # its title without "International"
        ("instrument/scc-r-v-appulonappa", "fn/78"),  # the judgment's web address
    ],
    "A-HRC-38-40": [("instrument/stockholm-declaration-1972", "fn/15"), ("doc/unossc-what-is-south-south-cooperation", "fn/20")],
    "ajil-unbound-2024": [("instrument/eu-pact-migration-asylum", "fn/18")],  # "Art. 9. 1(e) of the Pact"
}
"""Pairs of the sources named by a shorter word, a title without its first word, a case's first party, a work at
the start of a title or a web address."""


@pytest.mark.parametrize("document", sorted(NAMED_AGAIN))
def test_the_sources_name_instruments_again_by_shorter_words(gazetteer: Gazetteer, document: str) -> None:
    if not SOURCES.is_dir():
        pytest.skip(f"source texts not found in {SOURCES} (../shared/sources)")
    iri = next(d for d in SOURCE_FILES if d.endswith("/" + document))
    analysis = analyse((SOURCES / SOURCE_FILES[iri]).read_text(encoding="utf-8"), Linker(gazetteer))
    linked = {(m.nodes[0], m.locator) for m in analysis.by_status("linked")}
    assert [pair for pair in NAMED_AGAIN[document] if (ID + pair[0], pair[1]) not in linked] == []
    # "the International Covenant on Economic and Social Rights" (para. 8) begins another name: no short reference
    assert not [m for m in analysis.mentions if m.how == "anaphora" and m.text.startswith("International")]
