import sqlalchemy as sa

from blog.extensions import db
from blog.models import User


# --8<-- [start:register]
def test_register(client, app):
    assert client.get("/register").status_code == 200
    response = client.post(
        "/register", data={"username": "bob", "password": "long enough", "confirm": "long enough"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "bob"))
        assert user is not None and user.check_password("long enough")


def test_register_validates(client):
    response = client.post("/register", data={"username": "ann", "password": "long enough", "confirm": "long enough"})
    assert "That username is taken." in response.text
    response = client.post("/register", data={"username": "b!", "password": "short", "confirm": "other"})
    assert "Letters, digits and underscores only." in response.text
    assert "The passwords differ." in response.text
# --8<-- [end:register]


# --8<-- [start:login]
def test_login_and_logout(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert "Log out" in client.get("/").text
    auth.logout()
    assert "Log in" in client.get("/").text


def test_login_fails_with_a_wrong_password(auth):
    response = auth.login(password="wrong")
    assert response.status_code == 401
    assert "Wrong username or password." in response.text


def test_login_redirects_to_next_but_only_locally(client, auth):
    client.post("/login?next=/write", data={"username": "ann", "password": "correct horse"})
    auth.logout()
    response = client.post("/login?next=//evil.example/", data={"username": "ann", "password": "correct horse"})
    assert response.headers["Location"] == "/"
# --8<-- [end:login]
