from datetime import timedelta

from erlen import (
    Erlen,
    flash,
    get_flashed_messages,
    redirect,
    request,
    session,
    url_for,
)

app = Erlen(__name__)
# --8<-- [start:config]
app.config.update(
    SECRET_KEY="replace-with-the-output-of-secrets.token_hex(32)",
    SESSION_COOKIE_SAMESITE="Lax",  # not sent on cross-site POSTs
    SESSION_COOKIE_HTTPONLY=True,  # the default: JavaScript cannot read it
    # SESSION_COOKIE_SECURE=True,  # in production, behind HTTPS
    PERMANENT_SESSION_LIFETIME=timedelta(days=14),
)
# --8<-- [end:config]


# --8<-- [start:session]
@app.post("/login")
def login():
    session.clear()  # start from a clean session when the user changes
    session["user"] = request.form["user"]
    # Keep the cookie for PERMANENT_SESSION_LIFETIME instead of until the browser closes.
    session.permanent = request.form.get("remember") == "on"
    return redirect(url_for("me"))


@app.get("/me")
def me():
    return {"user": session.get("user"), "cart": session.get("cart", [])}


@app.post("/cart/<item>")
def add_to_cart(item):
    # Changing a list inside the session is not noticed automatically...
    session.setdefault("cart", []).append(item)
    # ...so say that the session changed.
    session.modified = True
    return {"cart": session["cart"]}


@app.post("/logout")
def logout():
    session.pop("user", None)
    return redirect(url_for("me"))
# --8<-- [end:session]


# --8<-- [start:flash]
@app.post("/save")
def save():
    if not request.form.get("title"):
        flash("A title is required.", "error")
    else:
        flash("Saved.", "success")
    return redirect(url_for("messages"))


@app.get("/messages")
def messages():
    # In a template: {% for category, text in get_flashed_messages(with_categories=true) %}
    return {"messages": get_flashed_messages(with_categories=True)}
# --8<-- [end:flash]
