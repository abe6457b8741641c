"""HTML to PDF with WeasyPrint: the same templates as the web, printed.

Off-mode: if WeasyPrint or its system libraries are missing, callers get None and answer that
the PDF is unavailable instead of failing.
"""

import logging

logger = logging.getLogger(__name__)


def html_to_pdf(html: str, *, base_url: str) -> bytes | None:
    try:
        from weasyprint import HTML

        return bytes(HTML(string=html, base_url=base_url).write_pdf())
    except Exception:  # any failure means: no PDF, the web page still works
        logger.exception("PDF rendering failed.")
        return None
