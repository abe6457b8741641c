"""User-written Markdown becomes HTML that can carry no script, whatever the writer tries."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.template import Context, Template

from welcoming.integrations.markdown import markdown_to_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://example.org"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "![x](https://tracker.example/pixel.png)",
    "<!-- --><script>alert(1)</script>",
]


SAFE_TAGS = {"p", "a", "em", "strong", "code", "pre", "h2", "ul", "ol", "li", "br"}


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_without_script_handlers_or_foreign_content(text: str) -> None:
    html = markdown_to_html(text)
    for tag, attributes in _elements(html):
        assert tag in SAFE_TAGS, html
        assert not [name for name in attributes if name.startswith("on") or name == "style"], html
        if "href" in attributes:
            assert urlsplit(attributes["href"] or "").scheme in {"http", "https", "mailto"}, html


def test_raw_html_in_the_text_is_shown_as_text() -> None:
    assert markdown_to_html("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_markdown_renders_its_ordinary_structure() -> None:
    html = markdown_to_html(
        "# Welcome\n\nSee **the guide** and [the site](https://example.org).\n\n- one\n- two\n"
    )
    assert html.startswith("<h2>Welcome</h2>")  # below the page's own <h1>
    assert "<strong>the guide</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">the site</a>' in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html


def test_sanitising_does_not_depend_on_the_parser_alone() -> None:
    """A link the parser lets through keeps only http, https and mailto schemes after nh3."""
    assert 'href="mailto:a@example.org"' in markdown_to_html("[mail](mailto:a@example.org)")
    assert "href" not in markdown_to_html("[ftp](ftp://example.org/file)")


def test_the_template_filter_renders_and_escapes_nothing_twice() -> None:
    template = Template("{% load welcoming %}{{ text|markdown }}")
    html = template.render(Context({"text": "*hi* <script>x</script> & you"}))
    assert html == "<p><em>hi</em> &lt;script&gt;x&lt;/script&gt; &amp; you</p>\n"
    assert template.render(Context({"text": None})) == ""
