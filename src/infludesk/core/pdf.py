"""HTML to PDF with WeasyPrint (offline: only local fonts and data: URLs are used)."""

from __future__ import annotations


def _no_network(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"PDFs are rendered offline; not fetching {url}")


def html_to_pdf(html: str) -> bytes:
    """Render a complete HTML document to PDF bytes."""
    import weasyprint  # imported late: it loads pango, which page views do not need

    document = weasyprint.HTML(string=html, url_fetcher=_no_network)
    pdf = document.write_pdf()
    assert pdf is not None
    return bytes(pdf)
