"""The locator index: the shipped file is the one the sources give, and reading a text finds its locators."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from api.settings import REPOSITORY
from graph.locator_index import (
    INDEX_FILE,
    SOURCE_FILES,
    build_index,
    cited_headings,
    differences,
    document_entry,
    dumps,
    heading_key,
    load_index,
)
from graph.locator_reading import read_source, text_hash
from tests.conftest import SOURCES

DATA = REPOSITORY / "data"
HEX = re.compile(r"[0-9a-f]{64}")

# A PDF extraction in miniature: wrapped lines, a page break inside paragraph 2 with its
# footnote, the page's document symbol, number and job number, a lettered sub-paragraph list,
# lines that start with numbers or numerals but start no locator.
WRAPPED = """\
 I. Introduction
1. The first paragraph opens the report and cites a
resolution adopted in 2018.1 It continues in section
VII. Finally, this line is still part of paragraph one.
2. The second paragraph starts here and runs on
7. seven is out of sequence, so this line belongs to paragraph two
__________________
 1  See resolution 35/3, adopted in
2017 by consensus.
https://undocs.org/A/RES/35/3
A/70/100
3
16-12345 3/20
over the page break, where it ends.
 A. A lettered heading that wraps
onto a second line
3. The third paragraph lists:
 (a) a first item;
 (b) a second item.
4. The fourth paragraph has a marker glued to a word,solidarity²
2 per cent of a budget starts this line, which is not a note.
 40 States signed it, and this indented line is not a note either.
5. The fifth paragraph ends after a quotation.”3
17/6. is a resolution, not a paragraph number.
 (e) is a letter out of order, not a sub-paragraph.
 2  A second note.
 3  A third note.
"""

LONG = "This sentence repeats so that the paragraph is one long line, as a web page gives it. " * 3
# A web page or Markdown conversion: one paragraph per line, superscript notes, a quoted list.
UNWRAPPED = f"""\
Introduction

{LONG}It cites a report.¹

Is There a Question Here?

In his first report the author sets out a plan. {LONG}

¹ Report of someone, 2023.

²Id., Annex.

1. All States have a duty.

2. So do organizations.
"""


def test_paragraphs_are_numbered_in_sequence_and_page_furniture_is_left_out() -> None:
    reading = read_source(WRAPPED)
    assert list(reading.paragraphs) == ["1", "2", "3", "3(a)", "3(b)", "4", "5"]
    assert reading.paragraphs["2"] == (
        "2. The second paragraph starts here and runs on "
        "7. seven is out of sequence, so this line belongs to paragraph two over the page break, where it ends."
    )
    assert reading.paragraphs["3"] == "3. The third paragraph lists: (a) a first item; (b) a second item."
    assert reading.paragraphs["3(b)"] == "(b) a second item."
    assert reading.paragraphs["1"] == (
        "1. The first paragraph opens the report and cites a resolution adopted in 2018.1 It continues in section "
        "VII. Finally, this line is still part of paragraph one."
    )
    assert reading.paragraphs["5"] == (
        "5. The fifth paragraph ends after a quotation.”3 17/6. is a resolution, not a paragraph number. "
        "(e) is a letter out of order, not a sub-paragraph."
    )


def test_footnotes_are_the_notes_not_the_markers_glued_to_words() -> None:
    reading = read_source(WRAPPED)
    assert reading.footnotes == {
        "1": "1 See resolution 35/3, adopted in 2017 by consensus.",
        "2": "2 A second note.",
        "3": "3 A third note.",
    }
    assert reading.paragraphs["4"] == (
        "4. The fourth paragraph has a marker glued to a word,solidarity² 2 per cent of a budget starts this line, "
        "which is not a note. 40 States signed it, and this indented line is not a note either."
    )


def test_superscript_notes_glued_or_not_and_a_quoted_list_is_not_numbered_paragraphs() -> None:
    reading = read_source(UNWRAPPED)
    assert reading.footnotes == {"1": "¹ Report of someone, 2023.", "2": "²Id., Annex."}
    assert reading.paragraphs == {}  # two numbered lines are a list, not a numbered document


def test_headings_are_keyed_by_title_and_cover_their_section() -> None:
    wrapped = read_source(WRAPPED).headings()
    assert list(wrapped) == ["introduction", "a lettered heading that wraps onto a second line"]
    assert wrapped["introduction"].startswith("I. Introduction 1. The first paragraph")
    assert wrapped["introduction"].endswith("where it ends.")
    unwrapped = read_source(UNWRAPPED).headings()
    assert list(unwrapped) == ["introduction", "is there a question here"]


def test_an_opening_is_recorded_only_where_the_data_cite_one_that_begins_a_line() -> None:
    entry = document_entry(
        UNWRAPPED, "page.txt", cited=["In his first report", "In his first rep", "sets out a plan", "Not in the text"]
    )
    assert list(entry["openings"]) == [heading_key("In his first report")]
    assert heading_key("Is There a Question Here?") in entry["headings"]


def test_the_index_holds_ids_and_hashes_and_no_text(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text(WRAPPED, encoding="utf-8")
    (tmp_path / "page.txt").write_text(UNWRAPPED, encoding="utf-8")
    files = {"https://example.org/report": "report.txt", "https://example.org/page": "page.txt"}
    index = build_index(tmp_path, {"https://example.org/page": ["In his first report"]}, files)
    report = index["documents"]["https://example.org/report"]
    assert report["paragraphs"]["2"] == text_hash(read_source(WRAPPED).paragraphs["2"])
    assert report["text"] == text_hash(WRAPPED) == text_hash(WRAPPED.replace("\n", "\n\n  "))
    assert text_hash("two  words\n") == text_hash("two words") != text_hash("two  words.")
    written = json.dumps(index["documents"])
    structure = {"source", "text", "paragraphs", "footnotes", "headings", "openings", "report", "page", "https", "example"}
    words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", WRAPPED + UNWRAPPED)} - structure
    assert not {w for w in words if re.search(rf"\b{w}\b", written, re.IGNORECASE)}
    assert dumps(index) == dumps(build_index(tmp_path, {"https://example.org/page": ["In his first report"]}, files))


def test_shipped_index_holds_ids_and_hashes_only() -> None:
    index = load_index(DATA / INDEX_FILE)
    assert set(index) == {"about", "format", "documents"}
    assert set(index["documents"]) == set(SOURCE_FILES)
    for document, entry in index["documents"].items():
        assert entry["source"] == SOURCE_FILES[document] and HEX.fullmatch(entry["text"])
        assert all(re.fullmatch(r"\d+(\([a-z]\))?", n) for n in entry["paragraphs"]), document
        assert all(re.fullmatch(r"\d+", n) for n in entry["footnotes"]), document
        for kind in ("paragraphs", "footnotes", "headings", "openings"):
            assert all(HEX.fullmatch(h) for h in entry[kind].values()), (document, kind)
        assert all(HEX.fullmatch(k) for k in (*entry["headings"], *entry["openings"])), document


def test_shipped_index_is_the_one_the_sources_give() -> None:
    missing = [name for name in SOURCE_FILES.values() if not (SOURCES / name).is_file()]
    if missing:
        pytest.skip(f"source texts not found in {SOURCES} (set SKG_SOURCES_DIR): {', '.join(missing)}")
    cited = cited_headings(DATA)
    rebuilt = build_index(SOURCES, cited)
    labels = {heading_key(text): text for texts in cited.values() for text in texts}
    shipped = DATA / INDEX_FILE
    changes = differences(load_index(shipped), rebuilt, labels)
    assert not changes, "\n".join([*changes, "regenerate it: solidarity-kg locator-index --sources DIR"])
    assert shipped.read_text(encoding="utf-8") == dumps(rebuilt)
