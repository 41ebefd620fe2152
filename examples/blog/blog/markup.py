"""Markdown to safe HTML.

Authors write Markdown, which may contain raw HTML. The ``markdown`` package
renders it as written, so its output is cleaned with ``nh3`` (a whitelist
HTML sanitiser): only the tags and attributes listed here survive, links may
only use http, https and mailto, and every link gets ``rel="nofollow noopener
noreferrer"``. Scripts, event handlers, ``javascript:`` URLs, iframes and
styles are removed whatever the Markdown looked like.
"""

from __future__ import annotations

import re
import unicodedata

import markdown
import nh3
from markupsafe import Markup

_POST_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "smarty"]

POST_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
POST_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
COMMENT_TAGS = {"a", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre", "strong", "ul"}
COMMENT_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_LINK_REL = "nofollow noopener noreferrer"


def render_markdown(text: str) -> Markup:
    """Render a post body: Markdown with code blocks and tables, sanitised."""
    html = markdown.markdown(text, extensions=_POST_EXTENSIONS, output_format="html")
    return Markup(
        nh3.clean(
            html,
            tags=POST_TAGS,
            attributes=POST_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel=_LINK_REL,
        )
    )


def render_comment(text: str) -> Markup:
    """Render a comment: plain Markdown (no images, headings or tables), sanitised."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return Markup(
        nh3.clean(
            html,
            tags=COMMENT_TAGS,
            attributes=COMMENT_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel=_LINK_REL,
        )
    )


_WHITESPACE = re.compile(r"\s+")


def plain_text(html: str) -> str:
    """The text of an HTML fragment, with tags removed and whitespace collapsed."""
    text = nh3.clean(html, tags=set())
    # nh3 leaves entities escaped; a summary is shown through Jinja's
    # autoescaping, so unescape the few that Markdown produces.
    text = Markup(text).unescape()
    return _WHITESPACE.sub(" ", text).strip()


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def summarise(html: str, length: int = 220) -> str:
    """A plain-text teaser of at most about ``length`` characters, cut at a word.

    Taken from the paragraphs (headings, code and tables are skipped), or from
    all the text when there are no paragraphs.
    """
    paragraphs = [plain_text(part) for part in _PARAGRAPH.findall(html)]
    text = " ".join(part for part in paragraphs if part) or plain_text(html)
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",.;:!?-–—")
    return cut + "…"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """A URL-friendly lowercase ASCII version of ``text`` ("Hello, Wörld!" -> "hello-world")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug
