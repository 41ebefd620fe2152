import asyncio
import sqlite3
import threading

from erlen import (
    Erlen,
    copy_current_request_context,
    current_app,
    g,
    request,
    stream_with_context,
)

app = Erlen(__name__)
app.config["DATABASE"] = ":memory:"


# --8<-- [start:g]
def get_db():
    """One connection per app context, opened on first use."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"], check_same_thread=False)
    return g.db


@app.teardown_appcontext
def close_db(exc):
    # Runs when the app context ends: after every request, and after
    # `with app.app_context():` blocks. exc is the unhandled error, if any.
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.get("/answer")
def answer():
    (value,) = get_db().execute("SELECT 6 * 7").fetchone()
    return {"answer": value}
# --8<-- [end:g]


# --8<-- [start:app_context]
def count_tables():
    """Called from a script or a CLI command: no request, so push an app context."""
    with app.app_context():
        db = get_db()
        return db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
# --8<-- [end:app_context]


# --8<-- [start:threads]
AUDIT_LOG = []


@app.post("/audit")
def audit():
    @copy_current_request_context
    def write_entry():
        # request and session work here, in another thread, because the
        # decorator carried a copy of the request context along.
        AUDIT_LOG.append(f"{request.method} {request.path} from {request.remote_addr}")

    worker = threading.Thread(target=write_entry)
    worker.start()
    worker.join()
    return {"entries": len(AUDIT_LOG)}
# --8<-- [end:threads]


# --8<-- [start:tasks]
NOTIFICATIONS = []


async def notify(user_agent, path):
    # Plain values, not request: the request may be over when this runs.
    await asyncio.sleep(0)
    NOTIFICATIONS.append((user_agent, path))


@app.post("/notify")
async def start_notification():
    task = asyncio.create_task(notify(request.headers.get("User-Agent"), request.path))
    # Keep a reference until it is done, or the task may be garbage collected.
    app.extensions.setdefault("tasks", set()).add(task)
    task.add_done_callback(app.extensions["tasks"].discard)
    await task  # here only so the example's test can check the result
    return {"queued": True}
# --8<-- [end:tasks]


# --8<-- [start:streaming]
@app.get("/stream")
def stream():
    def generate():
        # Without stream_with_context, request is gone by the time a WSGI
        # server iterates this generator.
        yield f"Hello, {request.args.get('name', 'stranger')}!\n"
        yield "Bye.\n"

    return stream_with_context(generate())
# --8<-- [end:streaming]
