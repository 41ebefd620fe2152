import asyncio
import hashlib
import json

from erlen import Erlen, Response, request, stream_request_body, stream_with_context

app = Erlen(__name__)


# --8<-- [start:generator]
@app.get("/numbers.csv")
def numbers_csv():
    count = request.args.get("count", 1000, type=int)

    @stream_with_context  # keeps `request` usable while the body is generated
    def rows():
        yield "n,square\n"
        for n in range(count):
            yield f"{n},{n * n}\n"

    return Response(rows(), mimetype="text/csv")
# --8<-- [end:generator]


# --8<-- [start:sse]
@app.get("/events")
async def events():
    async def stream():
        try:
            for n in range(3):
                payload = json.dumps({"tick": n})
                yield f"event: tick\ndata: {payload}\n\n"
                await asyncio.sleep(0.01)
        finally:
            # Runs when the stream ends, and also when the client goes away.
            pass

    return Response(
        stream(),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
# --8<-- [end:sse]


# --8<-- [start:upload]
@app.post("/upload")
@stream_request_body
async def upload():
    # On ASGI the body arrives chunk by chunk, never held whole in memory.
    digest = hashlib.sha256()
    size = 0
    async for chunk in request.stream:
        digest.update(chunk)
        size += len(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}
# --8<-- [end:upload]
