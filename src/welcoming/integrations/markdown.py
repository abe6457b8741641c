"""Markdown that people write (descriptions, notes, best practices) as HTML safe to show.

markdown-it-py renders CommonMark with raw HTML turned off; nh3 then keeps only the tags,
attributes and link schemes below, so neither a `<script>`, an `onerror` attribute, nor a
`javascript:` link written in any spelling reaches a page. Images are left out on purpose: a
Content-Security-Policy allows our own images only, and a picture from elsewhere would track
readers.
"""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
# A heading of the text sits below the page's own <h1>: `# Title` becomes <h2>.
HEADING_SHIFT = {f"h{n}": f"h{min(n + 1, 6)}" for n in range(1, 7)}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def markdown_to_html(text: str) -> str:
    """Render `text` (Markdown) as sanitised HTML: the one way user-written text becomes HTML."""
    if not text:
        return ""
    parser = _parser()
    env: dict[str, object] = {}
    tokens = parser.parse(text, env)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = HEADING_SHIFT[token.tag]
    return nh3.clean(
        parser.renderer.render(tokens, parser.options, env),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
