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
