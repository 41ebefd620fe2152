"""Markdown rendering: the features authors use, and no script gets through."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from blog_helpers import create_post
from blog_helpers import create_user
from blog_helpers import login

from erlen import Erlen
from erlen.testing import ErlenClient

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert('x')>",
    "[click me](javascript:alert('x'))",
    "[click me](JaVaScRiPt:alert('x'))",
    "[click me](  javascript:alert('x'))",
    "![pic](javascript:alert('x'))",
    '<a href="javascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "<iframe src='https://evil.example'></iframe>",
    "<svg onload=alert('x')></svg>",
    "<div style=\"background:url(javascript:alert('x'))\">styled</div>",
    '<p onclick="alert(1)">click</p>',
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<form action='https://evil.example'><input name=x></form>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    "<<script>script>alert('x')<</script>/script>",
    "[x](https://ok.example \"title\" onmouseover=alert(1))",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<base href='https://evil.example/'>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
    "<link rel=stylesheet href='https://evil.example/x.css'>",
]

ALLOWED_SCHEMES = {"http", "https", "mailto"}


class _Elements(HTMLParser):
    """Collects every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_safe(html: str, allowed_tags: set[str] | None = None) -> None:
    """No element outside the whitelist, no event handler or style, no link off http(s)/mailto."""
    from blog.markup import POST_TAGS

    allowed = allowed_tags or POST_TAGS
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in allowed, (tag, html)
        for name, value in attrs:
            assert not name.startswith("on"), (name, html)
            assert name not in {"style", "srcdoc", "formaction"}, (name, html)
            if name in {"href", "src"}:
                scheme = urlsplit((value or "").strip()).scheme.lower()
                assert scheme in ALLOWED_SCHEMES or scheme == "", (value, html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_post_markdown_is_sanitised(payload: str) -> None:
    from blog.markup import render_markdown

    assert_safe(str(render_markdown(payload)))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_comment_markdown_is_sanitised(payload: str) -> None:
    from blog.markup import COMMENT_TAGS
    from blog.markup import render_comment

    assert_safe(str(render_comment(payload)), COMMENT_TAGS)


def test_code_blocks_keep_their_text_escaped() -> None:
    from blog.markup import render_markdown

    html = str(render_markdown("```html\n<script>alert(1)</script>\n```"))
    assert '<pre><code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;' in html


def test_markdown_features_survive() -> None:
    from blog.markup import render_markdown

    text = (
        "## Title\n\nSome **bold**, *em*, `code` and [a link](https://example.com/a \"T\").\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n![alt text](https://example.com/p.png)\n\n---\n"
    )
    html = str(render_markdown(text))
    for fragment in [
        "<h2>Title</h2>",
        "<strong>bold</strong>",
        "<em>em</em>",
        "<code>code</code>",
        '<a href="https://example.com/a" title="T" rel="nofollow noopener noreferrer">a link</a>',
        "<ul>\n<li>one</li>",
        "<ol>\n<li>first</li>",
        "<blockquote>",
        "<table>",
        "<td>1</td>",
        '<img alt="alt text" src="https://example.com/p.png">',
        "<hr>",
    ]:
        assert fragment in html, fragment


def test_comments_allow_less() -> None:
    from blog.markup import render_comment

    html = str(render_comment("# Big\n\n**ok** ![img](https://example.com/x.png) [l](http://example.com)"))
    assert "<h1>" not in html and "<img" not in html
    assert "<strong>ok</strong>" in html
    assert 'href="http://example.com"' in html


def test_summary_and_slug_helpers() -> None:
    from blog.markup import slugify
    from blog.markup import summarise

    html = "<h2>Heading</h2><p>First &amp; <em>best</em>.</p><pre><code>code()</code></pre><p>" + "word " * 100 + "</p>"
    summary = summarise(html, length=60)
    assert summary.startswith("First & best. word word")
    assert "Heading" not in summary and "code()" not in summary
    assert summary.endswith("…") and len(summary) <= 61
    assert summarise("<p>Short.</p>") == "Short."
    assert slugify("Hello, Wörld!") == "hello-world"
    assert slugify("  --Über  Straße-- ") == "uber-strae"
    assert slugify("a" * 50 + " " + "b" * 50) == "a" * 50


def test_xss_through_the_pages(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "mallory")
    create_user(app, "root", role="admin")
    login(client, "mallory")
    body = "\n\n".join(XSS_PAYLOADS)
    response = client.post(
        "/write", data={"title": "<script>alert('title')</script>", "body": body, "tags": "<b>x</b>", "published": "y"}
    )
    location = response.headers["Location"]
    page = client.get(location).get_data(as_text=True)
    article = page.split('<div class="prose">', 1)[1].split("</div>", 1)[0]
    assert_safe(article)
    assert "alert" in article  # the text is still there, as text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    client.post(f"{location}/comments", data={"body": body})
    client.post("/logout")
    login(client, "root")
    for url in [location, "/admin/comments", "/", "/search?q=alert"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "<img src=x onerror" not in page and 'href="javascript:' not in page


def test_post_body_html_is_stored_sanitised(app: Erlen) -> None:
    import sqlalchemy as sa
    from blog.extensions import db
    from blog.models import Post

    create_user(app, "ann")
    slug = create_post(app, "ann", "Stored", "<script>bad()</script>Hello *there*")
    with app.app_context():
        post = db.session.scalar(sa.select(Post).where(Post.slug == slug))
        assert post is not None
        assert "<script" not in post.body_html
        assert "<em>there</em>" in post.body_html
        assert post.body == "<script>bad()</script>Hello *there*"  # the source is kept as written
