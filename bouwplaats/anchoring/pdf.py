"""The koffertjes grid as a printable A4-landscape PDF (WeasyPrint), in the fonts shipped here.

The fonts are files of this app (fonts/, DejaVu Sans), loaded by file URL, so the PDF looks
the same on every machine whatever fonts it has. WeasyPrint may fetch nothing else: no
network, no other files (the page holds members' texts).
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {"regular": FONTS / "DejaVuSans.ttf", "bold": FONTS / "DejaVuSans-Bold.ttf"}


def _fonts_only_fetcher():
    """Return a WeasyPrint URL fetcher that serves the shipped font files and nothing else."""
    from weasyprint.urls import URLFetcher

    allowed = {path.as_uri() for path in FONT_FILES.values()}

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"not fetched: {url[:80]}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def koffertjes_pdf(*, programme, grid, filters: dict[str, str]) -> bytes:
    """Return the PDF (bytes) of ``grid`` (selectors.koffertjes_grid) for ``programme``."""
    from weasyprint import HTML

    html = render_to_string(
        "anchoring/koffertjes_pdf.html",
        {
            "programme": programme,
            "grid": grid,
            "filters": filters,
            "fonts": {name: path.as_uri() for name, path in FONT_FILES.items()},
            "now": timezone.localtime(),
        },
    )
    return HTML(string=html, url_fetcher=_fonts_only_fetcher()).write_pdf()
