from erlen import Erlen, abort, jsonify, request

app = Erlen(__name__)

TODOS = {1: {"id": 1, "title": "Read the quickstart", "done": True}}


@app.get("/api/todos")
def list_todos():
    # A list or a dict returned from a view becomes a JSON response.
    return list(TODOS.values())


@app.get("/api/todos/<int:todo_id>")
def get_todo(todo_id):
    if todo_id not in TODOS:
        abort(404)
    return TODOS[todo_id]


@app.post("/api/todos")
def create_todo():
    # get_json() parses a JSON body; a body that is not JSON is answered with 400/415.
    data = request.get_json()
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not title:
        return {"error": "'title' is required"}, 400
    todo = {"id": max(TODOS, default=0) + 1, "title": title, "done": False}
    TODOS[todo["id"]] = todo
    # (body, status, headers): 201 Created with a Location header.
    return todo, 201, {"Location": f"/api/todos/{todo['id']}"}


@app.errorhandler(404)
def not_found(error):
    # jsonify builds the response object itself, for when you need one.
    return jsonify(error="not found"), 404
