from erlen import (
    Erlen,
    flash,
    redirect,
    render_template_string,
    request,
    url_for,
)

app = Erlen(__name__)
# Flashed messages live in the session, which is signed with this key.
app.config["SECRET_KEY"] = "change-me-to-a-long-random-string"

GUESTBOOK = []

PAGE = """
<!doctype html>
<title>Guestbook</title>
{% for message in get_flashed_messages() %}<p class="flash">{{ message }}</p>{% endfor %}
<form method="post" action="{{ url_for('sign') }}">
  <input name="name" placeholder="Your name" value="{{ name }}">
  <button>Sign</button>
</form>
<ul>{% for entry in entries %}<li>{{ entry }}</li>{% endfor %}</ul>
"""


@app.get("/")
def index():
    return render_template_string(PAGE, entries=GUESTBOOK, name="")


@app.post("/sign")
def sign():
    name = request.form.get("name", "").strip()
    if not name:
        flash("Please tell us your name.")
        # Show the form again, with a 400 status.
        return render_template_string(PAGE, entries=GUESTBOOK, name=name), 400
    GUESTBOOK.append(name)
    flash(f"Thanks for signing, {name}!")
    # Redirect after a successful POST, so reloading the page doesn't post again.
    return redirect(url_for("index"))
