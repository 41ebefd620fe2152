from erlen import Erlen

app = Erlen(__name__)


@app.route("/")
def hello():
    return "<p>Hello from erlen!</p>"
