"""End to end in a real browser: Debian's Chromium, driven by Playwright, against a real server.

Registers, logs out and in again, writes a post in Markdown, comments on it
and checks what the page shows. Playwright never downloads a browser here:
it drives ``/usr/bin/chromium`` (``scripts/install-services`` installs it).
"""

from __future__ import annotations

import os
import shutil
import threading
import typing as t
from collections.abc import Iterator
from pathlib import Path

import pytest
from blog_helpers import create_user

from erlen import Erlen

CHROMIUM = os.environ.get("BLOG_E2E_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The blog on a free port of 127.0.0.1 (Werkzeug's threaded server), CSRF on."""
    from blog import create_app
    from blog.extensions import db
    from werkzeug.serving import make_server

    app: Erlen = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite3'}", "WTF_CSRF_ENABLED": True},
    )
    with app.app_context():
        db.create_all()
    create_user(app, "root", role="admin")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def page(live_server: str) -> Iterator[t.Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (scripts/install-services installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r examples/blog/requirements-test.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
            context.close()
        finally:
            browser.close()


POST_BODY = """Markdown from a **real browser**.

## A heading

- first item
- second item

```python
print("hello")
```

<img src="x" onerror="window.pwned = true">
<script>window.pwned = true</script>
[bad link](javascript:window.pwned=true)
"""


def test_register_write_comment_in_chromium(page: t.Any, live_server: str, tmp_path: Path) -> None:
    csp_violations: list[str] = []
    page.on("console", lambda message: csp_violations.append(message.text) if "Content Security Policy" in message.text else None)

    # Register.
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Email").fill("writer@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-password")
    page.get_by_label("Repeat password").fill("a-long-password")
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("Welcome, writer! Your account is ready.").wait_for()

    # Log out, then log in with "remember me".
    page.get_by_role("button", name="Log out").click()
    page.get_by_text("You are logged out.").wait_for()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_label("Username or email").fill("writer")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Wrong username or password.").wait_for()
    page.get_by_label("Username or email").fill("writer@example.com")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_label("Keep me logged in").check()
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Hello again, writer.").wait_for()
    assert any(cookie["name"] == "remember_token" for cookie in page.context.cookies())

    # Write a post; the form shows a field error first.
    page.get_by_role("link", name="Write", exact=True).click()
    page.get_by_label("Body (Markdown)").fill(POST_BODY)
    page.get_by_role("button", name="Save").click()
    page.locator(".errors").get_by_text("This field is required.").wait_for()
    page.get_by_label("Title").fill("My first post, from Chromium")
    page.get_by_label("Tags").fill("e2e, Browsers")
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Post published.").wait_for()
    assert page.url == f"{live_server}/posts/my-first-post-from-chromium"

    # The rendered Markdown, with nothing executable left.
    assert page.locator("article.post h1").inner_text() == "My first post, from Chromium"
    prose = page.locator(".prose")
    assert prose.locator("strong").inner_text() == "real browser"
    assert prose.locator("h2").inner_text() == "A heading"
    assert prose.locator("li").all_inner_texts() == ["first item", "second item"]
    assert prose.locator("pre code").inner_text().strip() == 'print("hello")'
    assert prose.locator("script").count() == 0
    assert prose.locator("[onerror]").count() == 0
    assert prose.locator('a[href^="javascript"]').count() == 0
    assert page.evaluate("window.pwned === undefined")
    assert page.locator(".post .tags a").all_inner_texts() == ["#browsers", "#e2e"]

    # Comment on it (the post's author needs no moderation).
    page.get_by_label("Add a comment").fill("Thanks for *reading*!")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is published.").wait_for()
    comment = page.locator("article.comment").first
    assert comment.locator(".comment-body em").inner_text() == "reading"
    assert "writer" in comment.locator(".meta").inner_text()
    assert page.locator("#comments-title").inner_text() == "1 comment"

    # The front page lists it, with its tags, and the tag page finds it.
    page.get_by_role("link", name="Home", exact=True).click()
    card = page.locator("article.card").first
    assert card.locator(".card-title").inner_text() == "My first post, from Chromium"
    card.get_by_role("link", name="#e2e").click()
    page.get_by_role("heading", name="Posts tagged #e2e").wait_for()
    assert page.locator("article.card").count() == 1

    # Search from the header.
    page.get_by_label("Search posts").fill("chromium")
    page.get_by_label("Search posts").press("Enter")
    page.get_by_text("1 result for “chromium”").wait_for()

    page.screenshot(path=str(tmp_path / "post.png"), full_page=True)
    assert csp_violations == []
