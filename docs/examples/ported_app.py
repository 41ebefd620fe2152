# The same application moved to erlen's own imports.
from erlen import Erlen, jsonify, request, session

app = Erlen(__name__)
app.config["SECRET_KEY"] = "dev"


@app.route("/")
def index():
    session["visits"] = session.get("visits", 0) + 1
    return f"Visit number {session['visits']} to {app.__class__.__module__}"


@app.route("/api/echo", methods=["POST"])
def echo():
    return jsonify(request.get_json())
