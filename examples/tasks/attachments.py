"""File attachments on tasks: upload, list and download.

Files are stored under ``ATTACHMENT_FOLDER`` (by default ``instance/attachments``)
with a name the server makes up: a random prefix and werkzeug's
``secure_filename`` of the client's name, which is only kept for display and as
the download name. Only PNG, JPEG, PDF and plain-text files are accepted, and
only when their content matches their extension.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import typing as t

from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response as BaseResponse

from erlen import Blueprint
from erlen import abort
from erlen import current_app
from erlen import jsonify
from erlen import request
from erlen import send_from_directory

from . import db
from .api import ValidationError
from .api import check_can_see
from .api import get_task_or_404
from .auth import require_user

bp = Blueprint("attachments", __name__, url_prefix="/api")


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# extension -> (content type, does the content look like it?)
KINDS: dict[str, tuple[str, t.Callable[[bytes], bool]]] = {
    "png": ("image/png", lambda data: data.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda data: data.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda data: data.startswith(b"\xff\xd8\xff")),
    "pdf": ("application/pdf", lambda data: data.startswith(b"%PDF-")),
    "txt": ("text/plain", _is_text),
}


def check_upload() -> tuple[str, str, bytes]:
    """``(safe filename, content type, data)`` of the ``file`` field; 400 or 413 otherwise."""
    limit: int = current_app.config["MAX_ATTACHMENT_SIZE"]
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError({"file": "Send the file as the multipart field 'file'."})
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        abort(413, description=f"Files may be at most {limit} bytes.")
    filename = secure_filename(upload.filename or "")
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension not in KINDS:
        raise ValidationError({"file": f"Allowed types: {', '.join(sorted(KINDS))}."})
    content_type, looks_right = KINDS[extension]
    if not data:
        raise ValidationError({"file": "The file is empty."})
    if not looks_right(data):
        raise ValidationError({"file": f"The content is not a .{extension} file."})
    return filename, content_type, data


@bp.post("/tasks/<int:task_id>/attachments")
def upload_attachment(task_id: int) -> tuple[BaseResponse, int]:
    """Attach a file (multipart field ``file``) to a task whoever may see it; 201."""
    user = require_user()
    check_can_see(user, get_task_or_404(task_id))
    filename, content_type, data = check_upload()
    stored_name = f"{secrets.token_hex(16)}_{filename}"
    os.makedirs(db.attachment_folder(), exist_ok=True)
    # "x": never overwrite, even on the (astronomically unlikely) same prefix.
    with open(os.path.join(db.attachment_folder(), stored_name), "xb") as file:
        file.write(data)
    attachment_id = db.insert_attachment(
        task_id, user["id"], filename, stored_name, content_type, len(data)
    )
    db.log_activity(
        user["id"],
        "attachment.created",
        task_id,
        {"attachment_id": attachment_id, "filename": filename},
    )
    row = t.cast(sqlite3.Row, db.attachment_by_id(attachment_id))
    response = jsonify(db.attachment_json(row))
    response.headers["Location"] = f"/api/attachments/{attachment_id}"
    return response, 201


@bp.get("/tasks/<int:task_id>/attachments")
def list_attachments(task_id: int) -> BaseResponse:
    user = require_user()
    check_can_see(user, get_task_or_404(task_id))
    return jsonify(attachments=[db.attachment_json(row) for row in db.attachments_for(task_id)])


@bp.get("/attachments/<int:attachment_id>")
def download_attachment(attachment_id: int) -> BaseResponse:
    """The file, always as a download (``Content-Disposition: attachment``)."""
    user = require_user()
    row = db.attachment_by_id(attachment_id)
    if row is None:
        abort(404, description=f"No attachment {attachment_id}.")
    check_can_see(user, get_task_or_404(row["task_id"]))
    response = send_from_directory(
        db.attachment_folder(),
        row["stored_name"],
        as_attachment=True,
        download_name=row["filename"],
        mimetype=row["content_type"],
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
