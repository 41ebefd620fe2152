import hmac
import secrets

from erlen import Erlen, abort, render_template_string, request, session

app = Erlen(__name__)

# --8<-- [start:limits]
app.config.update(
    MAX_CONTENT_LENGTH=2 * 1024 * 1024,  # whole body: 2 MiB
    MAX_FORM_MEMORY_SIZE=100_000,  # any non-file field of a multipart form: 100 kB
    MAX_FORM_PARTS=200,  # fields plus files in a multipart form
)
# --8<-- [end:limits]

# --8<-- [start:keys]
# The current key signs; the fallbacks (oldest first) are still accepted when
# reading, so sessions signed before the rotation stay valid.
app.config["SECRET_KEY"] = "key-2025-06-a4c1e0f7b59d3a8e6c2f1b0d9e8a7c6b"
app.config["SECRET_KEY_FALLBACKS"] = ["key-2025-01-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"]
# --8<-- [end:keys]

# --8<-- [start:hosts]
app.config["TRUSTED_HOSTS"] = ["shop.example", ".shop.example", "localhost"]
# --8<-- [end:hosts]


# --8<-- [start:csrf]
def csrf_token():
    """The session's CSRF token, created on first use."""
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


app.add_template_global(csrf_token)


@app.before_request
def check_csrf():
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf_token", "")
    # compare_digest takes the same time whatever the difference.
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="The form's CSRF token is missing or wrong.")


FORM = """
<form method="post">
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <input name="email"><button>Change e-mail</button>
</form>
"""


@app.route("/account", methods=["GET", "POST"])
def account():
    if request.method == "POST":
        return {"email": request.form["email"]}
    return render_template_string(FORM)
# --8<-- [end:csrf]


# --8<-- [start:headers]
@app.after_request
def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
# --8<-- [end:headers]


@app.post("/upload")
def upload():
    return {"fields": len(request.form), "files": len(request.files)}
