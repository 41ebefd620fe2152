from erlen import Erlen, render_template

app = Erlen(__name__)


@app.route("/hello/")
@app.route("/hello/<name>")
def hello(name=None):
    # Looks for templates/hello.html next to this module.
    return render_template("hello.html", person=name)
