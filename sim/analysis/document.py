"""One PDF that holds a briefing's text, tables and figures in order, to send as one file.

The text is the briefing's Markdown (headings, paragraphs, lists, tables), set with fpdf2 in
DejaVu Sans, the font matplotlib ships, which has the dashes, minus signs and accents the text
uses; each figure follows on a page of its own, at the page's width.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sim.runs.files import write_whole

FONT = "DejaVu"
FACES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FACES["BI"] = "DejaVuSans-BoldOblique.ttf"


def html_of(markdown_text: str) -> str:
    """The Markdown as the HTML fpdf2 sets: code spans as plain text (fpdf2 sets none in a table cell)."""
    import markdown

    return markdown.markdown(markdown_text.replace("`", ""), extensions=["tables"])


def write_pdf(markdown_text: str, figures: Iterable[str | Path], path: str | Path, title: str = "") -> Path:
    """The text, then each figure (PNG) on a page of its own, as one PDF at `path`."""
    import matplotlib
    from fpdf import FPDF

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    for style, file in FACES.items():
        pdf.add_font(FONT, style, fonts / file)
    pdf.set_font(FONT, size=9)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.write_html(html_of(markdown_text), font_family=FONT)
    for figure in figures:
        pdf.add_page()
        pdf.image(str(figure), w=pdf.epw)
    return write_whole(path, lambda tmp: pdf.output(str(tmp)))
