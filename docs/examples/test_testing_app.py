# The tests that docs/guides/testing.md shows: run them with
#   pytest docs/examples/test_testing_app.py
import asyncio

import pytest
from testing_app import create_app

from erlen import g, request, session, template_rendered
from erlen.testing import ASGIClient


# --8<-- [start:fixtures]
@pytest.fixture
def app():
    app = create_app({"TESTING": True, "GREETING": "Hi"})
    # Set up anything else the app needs here: a database, files...
    yield app
    # ...and clean it up here.


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
# --8<-- [end:fixtures]


# --8<-- [start:requests]
def test_index(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == "<p>Hi, stranger!</p>"


def test_json(client):
    response = client.post("/api/sum", json={"numbers": [1, 2, 3]})
    assert response.get_json() == {"sum": 6}


def test_login_redirects_and_remembers(client):
    response = client.post("/login", data={"user": "ann"}, follow_redirects=True)
    # The redirect was followed: history holds the intermediate responses.
    assert [r.status_code for r in response.history] == [302]
    assert response.request.path == "/"
    assert response.text == "<p>Hi, ann!</p>"
# --8<-- [end:requests]


# --8<-- [start:session]
def test_session_transaction(client):
    with client.session_transaction() as sess:
        sess["user"] = "bob"  # as if bob had logged in
    assert client.get("/").text == "<p>Hi, bob!</p>"


def test_contexts_after_the_request(client):
    with client:
        client.get("/?lang=en")
        # Inside `with client:`, the last request's contexts are still active.
        assert request.args["lang"] == "en"
        assert g.visitor == "stranger"
        assert "user" not in session
# --8<-- [end:session]


# --8<-- [start:request_context]
def test_code_that_needs_a_request(app):
    with app.test_request_context("/search?q=tea", headers={"Accept-Language": "de"}):
        assert request.args["q"] == "tea"
        assert request.accept_languages.best == "de"
# --8<-- [end:request_context]


# --8<-- [start:templates]
def test_template_context(app, client):
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(context)

    with template_rendered.connected_to(record, app):
        client.get("/")
    assert rendered[0]["greeting"] == "Hi"
# --8<-- [end:templates]


# --8<-- [start:cli]
def test_greet_command(runner):
    result = runner.invoke(args=["greet", "Ann"])
    assert result.exit_code == 0
    assert result.output == "Hi, Ann!\n"
# --8<-- [end:cli]


# --8<-- [start:asgi]
@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_sum_on_both_fronts(app, asgi):
    # asgi=True sends the requests through app.asgi_app instead of the WSGI front.
    client = app.test_client(asgi=asgi)
    assert client.post("/api/sum", json={"numbers": [2, 2]}).get_json() == {"sum": 4}


def test_websocket(app):
    async def scenario():
        # ASGIClient is async: it runs lifespan startup and shutdown, and WebSockets.
        async with ASGIClient(app) as client:
            response = await client.get("/")
            assert response.status_code == 200
            async with client.websocket("/ws/echo") as ws:
                await ws.send("ping")
                assert await ws.receive() == "echo: ping"

    asyncio.run(scenario())
# --8<-- [end:asgi]
