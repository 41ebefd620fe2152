# --8<-- [start:fixtures]
import pytest

from blog import create_app
from blog.extensions import db
from blog.models import Post, User


@pytest.fixture
def app():
    app = create_app("testing")
    with app.app_context():
        db.create_all()
        user = User(username="ann")
        user.set_password("correct horse")
        db.session.add(user)
        db.session.add(Post(title="First post", slug="first-post", body="Hello!", author=user))
        db.session.commit()
    yield app


# Every test that uses `client` runs twice: through the WSGI front and the ASGI front.
@pytest.fixture(params=["wsgi", "asgi"])
def client(app, request):
    return app.test_client(asgi=request.param == "asgi")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
# --8<-- [end:fixtures]


# --8<-- [start:auth]
class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username="ann", password="correct horse"):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
# --8<-- [end:auth]
