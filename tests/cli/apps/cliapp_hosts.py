"""Host matching, so ``erlen routes`` shows a Host column."""

from __future__ import annotations

from erlen import Erlen

app = Erlen("cliapp_hosts", host_matching=True, static_host="static.test")


@app.route("/", host="www.test")
def index() -> str:
    return "index"


@app.route("/", host="api.test", endpoint="api_index")
def api_index() -> str:
    return "api"
