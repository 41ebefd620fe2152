# An application written for Flask, unchanged. erlen serves it through
# erlen.compat.flask: `erlen --flask-compat --app flask_app run`.
from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev"


@app.route("/")
def index():
    session["visits"] = session.get("visits", 0) + 1
    return f"Visit number {session['visits']} to {app.__class__.__module__}"


@app.route("/api/echo", methods=["POST"])
def echo():
    return jsonify(request.get_json())
