"""A small invented report, written by the tests themselves: no sentence of any source.

It has the habits of a PDF extraction that the segmenter must cope with: a
page header with the symbol and a job number, a page number, wrapped lines,
footnotes at the page foot under a rule (one with its number glued to its
first word), markers glued to words and after punctuation, a symbol split
over two lines, a sub-paragraph list, and numbered sections.
"""

from __future__ import annotations

REPORT = """ A/99/123
 Imaginary report on cooperation between cities
   I. Opening remarks
1. The Independent Expert prepared this imaginary note for the tests, in line with
Human Rights Council resolution 35/3 and the earlier report (A/HRC/
38/40).1 It concerns Italy and the Plurinational State of Bolivia.
2. Officials of the Hungarian Government met the International Organization for Migration in 2019.2
   II. Findings
  A. Local practice
3. One European State, 3 named only in a footnote, funded a shelter; the mayor asked
the Office of the Imaginary Commissioner for Ferry Safety for help.
4. The Independent Expert recommends that:
(a) Turkey and Viet Nam keep their ferries running;
(b) States respect article 6 (1) of the revised draft declaration.
__________________
 1 See the earlier report, para. 2.
2See the note of the International Organization for Migration.
3 The State is France.
18-12345 2/9
5. Obiora Chinedu Okafor closed the meeting, citing document A/88/777.
"""
"""The report: five paragraphs, two sub-paragraphs, three footnotes, two sections and one subsection."""

HTML = """<!DOCTYPE html><html><head><title>Imaginary page</title><style>p{}</style></head><body>
<h1>An imaginary web page</h1>
<p>1. A first numbered paragraph about Italy and Greece.</p>
<p>2. A second one about resolution 35/3.</p>
<p>3. A third one.</p><p>4. A fourth one.</p><p>5. A fifth one, on Spain.</p>
<script>var ignored = "1. not a paragraph";</script>
</body></html>"""
"""A page with five numbered paragraphs."""


def pdf_of(lines: list[str]) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica, written by hand (no PDF library needed to make it)."""
    text = (
        "BT /F1 11 Tf 14 TL 72 760 Td "
        + " ".join("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines)
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    return out


CITATIONS = """ A/99/321
 Another imaginary report, on ferries
1. The Independent Expert recalls the international convention on the protection of the rights of all
migrant workers and members of their families and the Global compact for safe, orderly and regular
migration.1 Ferry crews use the Spanish word for harbour, and North American and Latin American
volunteers joined them.
2. Two Southern European countries lent their ferries to each other during the storms.2
3. Human Rights Council resolutions 7/5, para. 1 (a); and 17/6, para. 9, were read aloud.3
4. A study of the ferries4 and a release5 followed, and a motion of the assembly.6
5. The Independent Expert thanks the crews, recalls the harbour accord of 2 March 2019 and general comment No. 7.7
6. The Global Compact on Migration was also read, and Example’s work on ferries.8 The crews read
it twice.9 And once more.10 They also recalled the 1982 Convention.
__________________
 1 See “Evaluation of the African Union ferry framework for Africa”, 2018.
 2 See Ann Example, “Italy-Malta ferries in the storm”, The Imaginary Times, 3 May 2018.
 3 Ibid.
 4 Example, “Ferries”, p. 3.
 5 European Union, “A release on ferries”, 22 June 2018. Available at www.example.org/ferries/ release.html.
 6 See B8-2018- 0091.
 7 Sample, *Harbours and Storms: A Study of Ferries*, 2019.
 8 Example, “Ferries”, supra note 4; Sample, supra note 2.
 9 See Example, “Ferries”; see also European Union, “A release on ferries”, 22 June 2018.
 10 Ibid.
"""
"""A report whose notes cite works the way reports do: titles in another case, quoted and short titles, Ibid.,
a publisher and a date, a web address and a symbol cut by line breaks, and a note that names two States."""

CITED_NAMES = [
    (
        "instrument/icmw",
        "label",
        "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families",
    ),
    ("instrument/compact", "label", "Global Compact for Safe, Orderly and Regular Migration"),
    ("actor/io/eu", "label", "European Union"),
    ("actor/io/eu", "alt", "EU"),
    ("actor/io/au", "label", "African Union"),
    ("actor/io/au", "alt", "AU"),
    ("doc/ferry-evaluation", "short", "Evaluation of the AU Ferry Framework for Africa"),
    ("doc/ferry-study", "short", "Ferries: the quiet face of solidarity"),
    ("doc/ferry-release", "published", "actor/io/eu 2018-06-22"),
    ("doc/ferry-page", "url", "http://www.example.org/ferries/release.html"),
    ("instrument/hrc-res-7-5", "resolution", "7/5"),
    ("instrument/hrc-res-17-6", "resolution", "17/6"),
    ("doc/B8-2018-0091", "symbol", "B8-2018-0091"),
    ("instrument/harbour-accord", "label", "Accord of the coastal towns on sharing ferries"),
    ("instrument/harbour-accord", "dated", "2019-03-02"),
    ("instrument/ferry-comment", "label", "Ferry Committee general comment No. 7 on harbours"),
    ("instrument/ferry-comment/para/1", "label", "Ferry Committee general comment No. 7, para. 1"),
    ("doc/harbours-and-storms", "label", "Sample, 'Harbours and Storms', a study of ferries (2019)"),
    ("instrument/compact", "alt", "Global Compact for Migration"),
    ("instrument/sea-convention", "alt", "1982 Sea Convention"),
    *((f"actor/state/{code}", "label", name) for code, name in (("ITA", "Italy"), ("MLT", "Malta"), ("ESP", "Spain"))),
    ("actor/state/USA", "label", "United States"),
]
"""(path, how, text) rows of an invented gazetteer (``graph.ingest.gazetteer.NAMES_QUERY``) for ``CITATIONS``."""

SUBMISSION = """The Independent Expert welcomes this imaginary chance to write about ferries and the many
harbours that host them, in a text made up for the tests of the segmenter and its many readers.
Harbour cooperation seems to work best where the towns along a coast share their boats at sea.
Principles for sharing boats
Safe harbours. Every town should keep one safe harbour open for the boats of its neighbours,
whatever the weather and whatever the season, and say so in its harbour rules for everyone.
Open timetables. Timetables should be published early, so that the neighbouring towns know.
Commitments that the towns may take on together along the coast in the coming years
Shared boats (including small ferries) that the towns lend to each other in storms and floods. The
lending should be free of charge, and the boats should come back in the state they left in.
"""
"""A submission without paragraph numbers: an opening passage, a heading, run-in titles, and a heading and a
run-in title laid out like running text."""

ARTICLE = (
    "AN IMAGINARY ESSAY ON FERRIES\n"
    "Ann Example[†] & Bo Sample*\n"
    "Introduction\n" + "This essay about ferries was made up for the tests; " * 6 + "\n"
    "Ferries and Harbours\n" + "Ferries cross the water between harbours in every season of the year. " * 4 + "\n"
    "[†] *Harbour Office, Valletta, Malta.*\n"
    "* *Ferry School, Oslo, Norway.*\n" + "The harbours of the coast lend each other their ferries in storms. " * 4 + "\n"
)
"""An article whose lines are whole paragraphs, with the authors' notes at the foot of its first page."""

REFERENCES = """ A/99/456
 A third imaginary report, on harbours
1. The 2016 joint ferry plan between the towns was signed in spring.1 Under the joint ferry plan, the towns
share their boats; a joint ferry plan of another coast is not this one.
2. The Independent Expert doubts that this joint ferry plan will last. The International Covenant on
Ferry Rights protects the crews.2 The International Covenant on Ferry Duties was never written.
3. As the Union of Ferry Crews case shows, crews may sue the towns.3 The Convention on the Safety of Small
Ferries binds the towns.
4. The towns meet every spring.
5. The crews thank the towns.
__________________
 1 See Harbour Office, “Harbour Fund for Coasts: Malta”, 2018.
 2 See general comment No. 3 (2010) on the obligations of States parties to the Covenant, para. 4.
 3 See https://decisions.example.org/ferries/item/42/index.do.
"""
"""A report that names instruments again by a shorter word, cites a treaty without the first word of its title,
a case by its first party, a fund inside the title of a page, and a decision by its web address."""

REFERENCE_NAMES = [
    ("instrument/ferry-plan", "label", "Harbour/Coast 2016 Joint Ferry Plan"),
    ("instrument/ferry-covenant", "label", "International Covenant on Ferry Rights"),
    ("instrument/ferry-comment-3", "label", "Ferry Committee general comment No. 3 on the obligations of States parties"),
    ("instrument/crews-v-atlantis", "label", "Union of Ferry Crews v. Atlantis (Ferry Court decision)"),
    ("instrument/crews-v-atlantis", "url", "https://decisions.example.org/ferries/item/42/index.do"),
    ("actor/union/ferry-crews", "label", "Union of Ferry Crews"),
    ("instrument/small-ferries", "label", "Small ferries convention (safety)"),
    ("instrument/small-ferries", "title", "International Convention on the Safety of Small Ferries"),
    ("instrument/harbour-fund", "label", "Harbour Fund for Coasts"),
    ("doc/harbour-fund-malta", "short", "Harbour Fund for Coasts: Malta"),
    ("actor/state/MLT", "label", "Malta"),
]
"""(path, how, text) rows of an invented gazetteer for ``REFERENCES``."""
