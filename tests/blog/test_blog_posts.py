"""Posts: the front page, writing, editing, deleting, drafts, slugs, views, tags and search."""

from __future__ import annotations

import re
import typing as t

import pytest
import sqlalchemy as sa
from blog_helpers import create_post
from blog_helpers import create_user
from blog_helpers import login
from blog_helpers import query

from erlen import Erlen
from erlen.testing import ErlenClient


def _post(slug: str) -> t.Any:
    from blog.extensions import db
    from blog.models import Post

    return db.session.scalar(sa.select(Post).where(Post.slug == slug))


def titles_on(page: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', page)


def test_front_page_lists_published_posts_newest_first(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    create_post(app, "ann", "First post")
    create_post(app, "ann", "Hidden draft", published=False)
    create_post(app, "ann", "Second post")
    page = client.get("/").get_data(as_text=True)
    assert titles_on(page) == ["Second post", "First post"]
    assert "Hidden draft" not in page


def test_empty_front_page(client: ErlenClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "No posts yet." in response.get_data(as_text=True)


@pytest.mark.config(POSTS_PER_PAGE=3)
def test_pagination(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    for number in range(1, 8):
        create_post(app, "ann", f"Post {number}")
    first = client.get("/").get_data(as_text=True)
    assert titles_on(first) == ["Post 7", "Post 6", "Post 5"]
    assert 'rel="next" href="/?page=2"' in first
    assert 'aria-current="page">1<' in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert titles_on(second) == ["Post 4", "Post 3", "Post 2"]
    assert 'rel="prev" href="/?page=1"' in second
    third = client.get("/?page=3").get_data(as_text=True)
    assert titles_on(third) == ["Post 1"]
    assert 'rel="next"' not in third
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=0").status_code == 404


def test_write_a_post(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    login(client, "ann")
    assert client.get("/write").status_code == 200
    response = client.post(
        "/write",
        data={"title": "Hello, Wörld!", "body": "# Heading\n\nSome *text*.", "tags": "Python, web dev, python", "published": "y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/posts/hello-world"
    page = client.get("/posts/hello-world").get_data(as_text=True)
    assert "Post published." in page
    assert "<h1>Heading</h1>" in page
    assert "<em>text</em>" in page
    assert 'href="/tags/python"' in page and 'href="/tags/web-dev"' in page

    def check() -> None:
        post = _post("hello-world")
        assert [tag.name for tag in post.tags] == ["python", "web-dev"]
        assert post.published and post.published_at is not None
        assert post.author.username == "ann"

    query(app, check)


def test_write_shows_field_errors(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    login(client, "ann")
    response = client.post("/write", data={"title": "", "body": "", "tags": ",".join(f"t{n}" for n in range(9))})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("This field is required.") == 2
    assert "Use at most 8 tags." in page
    response = client.post("/write", data={"title": "x" * 201, "body": "ok"})
    assert "Field cannot be longer than 200 characters." in response.get_data(as_text=True)


def test_slugs_are_unique(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    login(client, "ann")
    locations = [
        client.post("/write", data={"title": "Same title", "body": "text", "published": "y"}).headers["Location"]
        for _ in range(3)
    ]
    assert locations == ["/posts/same-title", "/posts/same-title-2", "/posts/same-title-3"]
    assert client.post("/write", data={"title": "!!!", "body": "text"}).headers["Location"] == "/posts/post"
    # editing keeps the slug, so links stay valid
    client.post("/posts/same-title-2/edit", data={"title": "Another title", "body": "text", "published": "y"})
    assert client.get("/posts/same-title-2").status_code == 200


def test_unique_slug_helper(app: Erlen) -> None:
    from blog.models import unique_slug

    create_user(app, "ann")
    create_post(app, "ann", "Tea")
    create_post(app, "ann", "Tea time")
    with app.app_context():
        assert unique_slug("Tea") == "tea-2"
        assert unique_slug("Tea time") == "tea-time-2"
        assert unique_slug("Teapot") == "teapot"
        assert unique_slug("100% tea_") == "100-tea"


def test_drafts_are_hidden_from_others(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    create_user(app, "bob")
    create_user(app, "root", role="admin")
    slug = create_post(app, "ann", "Work in progress", published=False)
    assert client.get(f"/posts/{slug}").status_code == 404
    login(client, "bob")
    assert client.get(f"/posts/{slug}").status_code == 404
    assert "Work in progress" not in client.get("/search?q=progress").get_data(as_text=True)
    client.post("/logout")
    login(client, "ann")
    page = client.get(f"/posts/{slug}").get_data(as_text=True)
    assert "Draft" in page and "Comments open when the post is published." in page
    client.post("/logout")
    login(client, "root")
    assert client.get(f"/posts/{slug}").status_code == 200


def test_publishing_a_draft(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    slug = create_post(app, "ann", "Soon", published=False)
    login(client, "ann")
    client.post(f"/posts/{slug}/edit", data={"title": "Soon", "body": "Now it is out.", "published": "y"})
    client.post("/logout")
    assert "Now it is out." in client.get(f"/posts/{slug}").get_data(as_text=True)
    assert query(app, lambda: _post(slug).published_at) is not None


def test_edit_own_post(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    slug = create_post(app, "ann", "Original", "old body", tags=["a", "b"])
    login(client, "ann")
    form = client.get(f"/posts/{slug}/edit").get_data(as_text=True)
    assert 'value="a, b"' in form and "old body" in form
    response = client.post(f"/posts/{slug}/edit", data={"title": "Changed", "body": "new **body**", "tags": "b, c", "published": "y"})
    assert response.status_code == 302
    page = client.get(f"/posts/{slug}").get_data(as_text=True)
    assert "Changed" in page and "<strong>body</strong>" in page
    assert query(app, lambda: [tag.name for tag in _post(slug).tags]) == ["b", "c"]


def test_others_posts_are_forbidden_unless_admin(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    create_user(app, "bob")
    create_user(app, "root", role="admin")
    slug = create_post(app, "ann", "Ann's post")
    login(client, "bob")
    assert client.get(f"/posts/{slug}/edit").status_code == 403
    response = client.post(f"/posts/{slug}/edit", data={"title": "Hacked", "body": "x", "published": "y"})
    assert response.status_code == 403
    assert "You are not allowed to do that." in response.get_data(as_text=True)
    assert client.post(f"/posts/{slug}/delete").status_code == 403
    assert "Edit</a>" not in client.get(f"/posts/{slug}").get_data(as_text=True)
    assert query(app, lambda: _post(slug).title) == "Ann's post"

    client.post("/logout")
    login(client, "root")
    assert client.get(f"/posts/{slug}/edit").status_code == 200
    response = client.post(f"/posts/{slug}/edit", data={"title": "Edited by admin", "body": "x", "published": "y"})
    assert response.status_code == 302
    assert query(app, lambda: _post(slug).title) == "Edited by admin"


def test_anonymous_writes_redirect_to_login(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    slug = create_post(app, "ann", "Post")
    for url in ["/write", f"/posts/{slug}/edit", f"/posts/{slug}/delete"]:
        response = client.post(url, data={"title": "x", "body": "y"})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_delete_own_post(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    create_user(app, "bob")
    slug = create_post(app, "ann", "Going away", tags=["gone"])
    login(client, "bob")
    client.post(f"/posts/{slug}/comments", data={"body": "Nice"})
    client.post("/logout")
    login(client, "ann")
    assert client.get(f"/posts/{slug}/delete").status_code == 405
    response = client.post(f"/posts/{slug}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/users/ann"
    assert client.get(f"/posts/{slug}").status_code == 404

    def count_comments() -> int:
        from blog.extensions import db
        from blog.models import Comment

        return db.session.scalar(sa.select(sa.func.count(Comment.id))) or 0

    assert query(app, count_comments) == 0
    assert client.post("/posts/no-such-post/delete").status_code == 404


def test_view_counter(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    slug = create_post(app, "ann", "Popular")
    draft = create_post(app, "ann", "Draft", published=False)
    for _ in range(3):
        client.get(f"/posts/{slug}")
    assert query(app, lambda: _post(slug).views) == 3
    assert "4 views" in client.get(f"/posts/{slug}").get_data(as_text=True)
    login(client, "ann")
    client.get(f"/posts/{draft}")
    assert query(app, lambda: _post(draft).views) == 0


def test_tags_pages(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    create_post(app, "ann", "About Python", tags=["python", "intro"])
    create_post(app, "ann", "More Python", tags=["python"])
    create_post(app, "ann", "Unpublished Python", tags=["python", "secret"], published=False)
    page = client.get("/tags").get_data(as_text=True)
    assert re.search(r"#python <span class=\"count\">2</span>", page)
    assert "#intro" in page and "#secret" not in page
    page = client.get("/tags/python").get_data(as_text=True)
    assert sorted(titles_on(page)) == ["About Python", "More Python"]
    assert "2 posts" in page
    assert titles_on(client.get("/tags/intro").get_data(as_text=True)) == ["About Python"]
    assert client.get("/tags/nope").status_code == 404
    # the front page shows popular tags
    assert 'href="/tags/python"' in client.get("/").get_data(as_text=True)


def test_tag_names_are_normalised() -> None:
    from blog.models import parse_tag_names

    assert parse_tag_names("Python, web dev;  PYTHON, , C++, Ünïcode") == ["python", "web-dev", "c", "unicode"]
    assert parse_tag_names(",".join(f"t{n}" for n in range(12))) == [f"t{n}" for n in range(8)]
    assert parse_tag_names("") == []


def test_search(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    create_post(app, "ann", "Indexes in PostgreSQL", "How a B-tree index works.", tags=["databases"])
    create_post(app, "ann", "Gardening", "Tomatoes and an index card.", tags=["outdoors"])
    create_post(app, "ann", "Cooking", "Soup.", tags=["food"])
    create_post(app, "ann", "Secret index", "Draft text.", published=False)

    def results(q: str) -> list[str]:
        response = client.get("/search", query_string={"q": q})
        assert response.status_code == 200
        return sorted(titles_on(response.get_data(as_text=True)))

    assert results("index") == ["Gardening", "Indexes in PostgreSQL"]
    assert results("INDEX b-tree") == ["Indexes in PostgreSQL"]
    assert results("outdoors") == ["Gardening"]
    assert results("nothing-like-this") == []
    assert results("100%") == []
    assert results("_") == []
    page = client.get("/search?q=soup").get_data(as_text=True)
    assert "1 result for “soup”" in page
    page = client.get("/search").get_data(as_text=True)
    assert "result" not in page
    page = client.get("/search?q=%3Cscript%3E").get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.config(POSTS_PER_PAGE=2)
def test_search_is_paginated(app: Erlen, client: ErlenClient) -> None:
    create_user(app, "ann")
    for number in range(5):
        create_post(app, "ann", f"Match {number}")
    page = client.get("/search?q=match").get_data(as_text=True)
    assert "5 results" in page
    assert 'href="/search?page=2&amp;q=match"' in page or 'href="/search?q=match&amp;page=2"' in page
    assert len(titles_on(client.get("/search?q=match&page=3").get_data(as_text=True))) == 1


def test_unknown_post_is_404(client: ErlenClient) -> None:
    response = client.get("/posts/does-not-exist")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "There is nothing here." in response.get_data(as_text=True)
