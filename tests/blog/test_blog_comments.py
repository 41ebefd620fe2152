"""Comments and their moderation, and the rest of the admin area."""

from __future__ import annotations

import re
import typing as t

import sqlalchemy as sa
from blog_helpers import create_post
from blog_helpers import create_user
from blog_helpers import login
from blog_helpers import query

from erlen import Erlen
from erlen.testing import ErlenClient


def _comments() -> list[t.Any]:
    from blog.extensions import db
    from blog.models import Comment

    return list(db.session.scalars(sa.select(Comment).order_by(Comment.id)))


def _comment_ids(app: Erlen) -> list[int]:
    return t.cast(list[int], query(app, lambda: [comment.id for comment in _comments()]))


def setup_post(app: Erlen) -> str:
    create_user(app, "ann")  # the post's author
    create_user(app, "bob")  # a reader
    create_user(app, "eve")  # another reader
    create_user(app, "root", role="admin")
    return create_post(app, "ann", "Discuss")


def test_comment_waits_for_moderation(app: Erlen, client: ErlenClient) -> None:
    slug = setup_post(app)
    login(client, "bob")
    response = client.post(f"/posts/{slug}/comments", data={"body": "First! *nice*"})
    assert response.status_code == 302
    assert re.fullmatch(rf"/posts/{slug}#comment-\d+", response.headers["Location"])
    page = client.get(f"/posts/{slug}").get_data(as_text=True)
    assert "will appear once a moderator approves it" in page
    assert "First! <em>nice</em>" in page  # its writer sees it...
    assert "Awaiting moderation" in page
    client.post("/logout")
    assert "First!" not in client.get(f"/posts/{slug}").get_data(as_text=True)  # ...nobody else does
    login(client, "eve")
    assert "First!" not in client.get(f"/posts/{slug}").get_data(as_text=True)
    assert query(app, lambda: [c.approved for c in _comments()]) == [False]


def test_comments_by_the_author_and_admins_skip_moderation(app: Erlen, client: ErlenClient) -> None:
    slug = setup_post(app)
    login(client, "ann")
    client.post(f"/posts/{slug}/comments", data={"body": "Author reply"})
    client.post("/logout")
    login(client, "root")
    client.post(f"/posts/{slug}/comments", data={"body": "Admin note"})
    client.post("/logout")
    page = client.get(f"/posts/{slug}").get_data(as_text=True)
    assert "Author reply" in page and "Admin note" in page
    assert "2 comments" in page


def test_comment_needs_login_and_a_body(app: Erlen, client: ErlenClient) -> None:
    slug = setup_post(app)
    response = client.post(f"/posts/{slug}/comments", data={"body": "anonymous"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    page = client.get(f"/posts/{slug}").get_data(as_text=True)
    assert "to join the conversation" in page
    login(client, "bob")
    response = client.post(f"/posts/{slug}/comments", data={"body": ""})
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    response = client.post(f"/posts/{slug}/comments", data={"body": "x" * 5001})
    assert response.status_code == 400
    assert query(app, _comments) == []
    assert client.post("/posts/missing/comments", data={"body": "hi"}).status_code == 404


def test_no_comments_on_drafts(app: Erlen, client: ErlenClient) -> None:
    setup_post(app)
    draft = create_post(app, "ann", "Draft", published=False)
    login(client, "ann")
    assert client.post(f"/posts/{draft}/comments", data={"body": "hi"}).status_code == 404
    client.post("/logout")
    login(client, "bob")
    assert client.post(f"/posts/{draft}/comments", data={"body": "hi"}).status_code == 404


def test_admin_approves_and_deletes(app: Erlen, client: ErlenClient) -> None:
    slug = setup_post(app)
    login(client, "bob")
    client.post(f"/posts/{slug}/comments", data={"body": "Good one"})
    client.post(f"/posts/{slug}/comments", data={"body": "Buy cheap watches"})
    client.post("/logout")
    good, spam = _comment_ids(app)

    login(client, "root")
    page = client.get("/admin/").get_data(as_text=True)
    assert re.search(r'<span class="stat-number">2</span> comments awaiting moderation', page)
    page = client.get("/admin/comments").get_data(as_text=True)
    assert "Good one" in page and "Buy cheap watches" in page
    response = client.post(f"/admin/comments/{good}/approve", data={"next": "/admin/comments?status=pending"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/comments?status=pending"
    response = client.post(f"/admin/comments/{spam}/delete", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/admin/comments"
    page = client.get("/admin/comments").get_data(as_text=True)
    assert "Nothing to moderate." in page
    assert "Good one" in client.get("/admin/comments?status=approved").get_data(as_text=True)
    assert client.get("/admin/comments?status=bogus").status_code == 404
    assert client.post("/admin/comments/9999/approve").status_code == 404

    client.post("/logout")
    page = client.get(f"/posts/{slug}").get_data(as_text=True)
    assert "Good one" in page and "Buy cheap watches" not in page
    assert "1 comment<" in page


def test_moderation_is_for_admins_only(app: Erlen, client: ErlenClient) -> None:
    slug = setup_post(app)
    login(client, "bob")
    client.post(f"/posts/{slug}/comments", data={"body": "pending"})
    (comment_id,) = _comment_ids(app)
    client.post("/logout")

    # anonymous: sent to log in
    for url in ["/admin/", "/admin/comments", "/admin/posts", "/admin/users"]:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.post(f"/admin/comments/{comment_id}/approve").status_code == 302

    # the post's own author is not a moderator
    login(client, "ann")
    for url in ["/admin/", "/admin/comments", "/admin/posts", "/admin/users"]:
        assert client.get(url).status_code == 403
    assert client.post(f"/admin/comments/{comment_id}/approve").status_code == 403
    assert client.post(f"/admin/comments/{comment_id}/delete").status_code == 403
    assert "Admin</a>" not in client.get("/").get_data(as_text=True)
    assert query(app, lambda: [c.approved for c in _comments()]) == [False]


def test_admin_lists_all_posts_including_drafts(app: Erlen, client: ErlenClient) -> None:
    setup_post(app)
    create_post(app, "bob", "Bob's draft", published=False)
    login(client, "root")
    page = client.get("/admin/posts").get_data(as_text=True)
    assert "Discuss" in page and "Bob&#39;s draft" in page
    assert "Draft</span>" in page and "Published</span>" in page


def test_admin_changes_roles(app: Erlen, client: ErlenClient) -> None:
    setup_post(app)
    bob_id = query(app, lambda: [c for c in _users() if c.username == "bob"][0].id)
    root_id = query(app, lambda: [c for c in _users() if c.username == "root"][0].id)
    login(client, "root")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "bob@example.com" in page
    response = client.post(f"/admin/users/{bob_id}/role", data={"role": "admin"})
    assert response.status_code == 302
    assert "bob is now an admin." in client.get("/admin/users").get_data(as_text=True)
    assert client.post(f"/admin/users/{bob_id}/role", data={"role": "emperor"}).status_code == 400
    client.post(f"/admin/users/{root_id}/role", data={"role": "author"})
    assert "You cannot remove your own admin role." in client.get("/admin/users").get_data(as_text=True)
    assert client.post("/admin/users/9999/role", data={"role": "admin"}).status_code == 404
    client.post("/logout")

    login(client, "bob")  # now an admin
    assert client.get("/admin/").status_code == 200
    client.post(f"/admin/users/{bob_id}/role", data={"role": "author"})
    client.post("/logout")
    login(client, "root")
    client.post(f"/admin/users/{bob_id}/role", data={"role": "author"})
    client.post("/logout")
    login(client, "bob")
    assert client.get("/admin/").status_code == 403


def _users() -> list[t.Any]:
    from blog.extensions import db
    from blog.models import User

    return list(db.session.scalars(sa.select(User)))
