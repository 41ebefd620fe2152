import asyncio

from erlen import Erlen, abort, current_app, request, websocket

app = Erlen(__name__)


# --8<-- [start:lifespan]
@app.before_serving
async def open_resources():
    # Runs once when an ASGI server starts, in an app context: open
    # connection pools and clients here, shared by all requests.
    current_app.extensions["rooms"] = {}


@app.after_serving
async def close_resources():
    current_app.extensions["rooms"].clear()
# --8<-- [end:lifespan]


# --8<-- [start:views]
async def fetch_price(item):
    await asyncio.sleep(0.01)  # stands in for a database or HTTP call
    return {"tea": 450, "mug": 1200}.get(item)


@app.get("/prices")
async def prices():
    items = request.args.getlist("item")
    # Waits for all of them at once: about 10 ms in total, not 10 ms each.
    results = await asyncio.gather(*(fetch_price(item) for item in items))
    return dict(zip(items, results, strict=True))


@app.get("/report")
def report():
    # A sync view in the same app runs in a worker thread on ASGI, so
    # blocking calls here don't stop the event loop.
    return {"report": "ready"}
# --8<-- [end:views]


# --8<-- [start:echo]
@app.websocket("/ws/echo")
async def echo():
    await websocket.accept()
    async for message in websocket:  # ends when the client disconnects
        await websocket.send(message)
# --8<-- [end:echo]


# --8<-- [start:chat]
@app.websocket("/ws/rooms/<room>")
async def chat(room):
    name = request.args.get("name")
    if not name:
        # Before accept(), aborting refuses the handshake with that status.
        abort(400)
    await websocket.accept()
    members = current_app.extensions["rooms"].setdefault(room, {})
    inbox = asyncio.Queue()
    members[name] = inbox

    async def forward():
        while True:
            await websocket.send_json(await inbox.get())

    forwarder = asyncio.create_task(forward())
    try:
        async for text in websocket:
            for queue in members.values():
                queue.put_nowait({"from": name, "text": text})
    finally:
        forwarder.cancel()
        del members[name]
# --8<-- [end:chat]
