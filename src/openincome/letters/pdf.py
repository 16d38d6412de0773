"""HTML to PDF, the one way (letters, and the legal app's notices and court bundle).

WeasyPrint lays out A4 pages with the fonts Debian installs (fonts-liberation2, DejaVu; see
the Makefile): nothing is fetched while rendering, and a page may load no file or address of
its own (url_fetcher refuses), so a template cannot reach the disk or the network.
"""

from __future__ import annotations

from collections.abc import Iterable

# GOV.UK Notify's precompiled letters (and C5/DL window envelopes) read the address from this
# block of the first page, in millimetres from the page's top-left corner.
ADDRESS_BLOCK_MM = {"left": 24.6, "top": 39.5, "width": 95.6, "height": 26.8}
A4_MM = (210.0, 297.0)


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"letters may not load {url[:60]}")


def render_pdf(html: str) -> bytes:
    """One PDF (A4) from one HTML document."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse, base_url="about:blank").write_pdf()


def render_many(documents: Iterable[str]) -> list[bytes]:
    """A PDF for each HTML document, in order (one process; callers fan out by process)."""
    return [render_pdf(doc) for doc in documents]


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, page after page (for checks and previews)."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
