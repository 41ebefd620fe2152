from erlen import Erlen, request, url_for

app = Erlen(__name__)


@app.route("/")
def index():
    return "The front page"


# <name> captures a path segment and passes it to the view as an argument.
@app.route("/users/<username>")
def profile(username):
    return f"Profile of {username}"


# A converter checks and converts the value: /posts/7 matches, /posts/seven is a 404.
@app.route("/posts/<int:post_id>")
def show_post(post_id):
    return f"Post number {post_id} (an {type(post_id).__name__})"


# Several methods on one rule; request.method tells them apart.
@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return "Logging you in"
    return "The login form"


# Shortcuts for a single method.
@app.get("/search")
def search():
    return f"Searching for {request.args.get('q', '')!r}"


@app.get("/links")
def links():
    # url_for builds URLs from endpoint names (the view function's name by default).
    return {
        "profile": url_for("profile", username="ann"),
        "post": url_for("show_post", post_id=7),
        "search": url_for("search", q="erlen routing"),
    }
