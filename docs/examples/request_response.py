import io

from werkzeug.utils import secure_filename

from erlen import (
    Erlen,
    Response,
    abort,
    after_this_request,
    make_response,
    redirect,
    request,
    send_file,
    url_for,
)

app = Erlen(__name__)
app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024  # refuse bodies over 16 MiB


# --8<-- [start:reading]
@app.route("/inspect", methods=["GET", "POST"])
def inspect():
    return {
        "method": request.method,
        "path": request.path,
        "url": request.url,
        # ?tag=a&tag=b: .get() gives the first value, .getlist() all of them.
        "tag": request.args.get("tag"),
        "tags": request.args.getlist("tag"),
        # type= converts, and falls back to the default when conversion fails.
        "page": request.args.get("page", 1, type=int),
        "form": request.form.to_dict(),
        "user_agent": request.headers.get("User-Agent"),
        "theme": request.cookies.get("theme"),
        "is_json": request.is_json,
    }
# --8<-- [end:reading]


# --8<-- [start:upload]
@app.post("/upload")
def upload():
    file = request.files.get("document")
    if file is None or not file.filename:
        abort(400, description="Send a file in the 'document' field.")
    # Never trust the client's file name: secure_filename strips paths and oddities.
    name = secure_filename(file.filename)
    content = file.read()  # or file.save(path) to write it to disk
    return {"name": name, "size": len(content), "type": file.mimetype}
# --8<-- [end:upload]


# --8<-- [start:returning]
@app.get("/text")
def text():
    return "plain <em>HTML</em> text"  # str or bytes: text/html, 200


@app.get("/created")
def created():
    return {"ok": True}, 201  # (body, status)


@app.get("/with-headers")
def with_headers():
    return "cached", {"Cache-Control": "max-age=60"}  # (body, headers)


@app.get("/teapot")
def teapot():
    return "short and stout", 418, [("X-Kind", "teapot")]  # (body, status, headers)


@app.get("/csv")
def csv():
    return Response("a,b\n1,2\n", mimetype="text/csv")  # a response object
# --8<-- [end:returning]


# --8<-- [start:make_response]
@app.get("/theme/<name>")
def set_theme(name):
    response = make_response(redirect(url_for("inspect")))
    response.set_cookie("theme", name, max_age=30 * 24 * 3600, httponly=True, samesite="Lax")
    return response


@app.get("/forget-theme")
def forget_theme():
    response = make_response("forgotten")
    response.delete_cookie("theme")
    return response
# --8<-- [end:make_response]


# --8<-- [start:after_this_request]
@app.get("/report")
def report():
    @after_this_request
    def add_header(response):
        response.headers["X-Report-Version"] = "2"
        return response

    return "the report"
# --8<-- [end:after_this_request]


# --8<-- [start:files]
@app.get("/export")
def export():
    data = io.BytesIO(b"id,name\n1,Ann\n")
    return send_file(data, mimetype="text/csv", as_attachment=True, download_name="people.csv")
# --8<-- [end:files]
