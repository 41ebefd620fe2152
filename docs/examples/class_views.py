from erlen import Erlen, abort, request
from erlen.views import MethodView, View

app = Erlen(__name__)


# --8<-- [start:view]
class ListView(View):
    """One class, registered twice with different data."""

    def __init__(self, items):
        self.items = items

    def dispatch_request(self):
        return {"items": sorted(self.items)}


app.add_url_rule("/colours", view_func=ListView.as_view("colours", ["red", "blue"]))
app.add_url_rule("/sizes", view_func=ListView.as_view("sizes", ["S", "M", "L"]))
# --8<-- [end:view]


# --8<-- [start:method_view]
class ItemAPI(MethodView):
    """GET, PATCH and DELETE on one item; the method picks the function."""

    # Applied to the view function as_view() returns, innermost first.
    decorators = []

    def __init__(self, store):
        self.store = store

    def _get_item(self, item_id):
        if item_id not in self.store:
            abort(404)
        return self.store[item_id]

    def get(self, item_id):
        return self._get_item(item_id)

    def patch(self, item_id):
        item = self._get_item(item_id)
        item.update(request.get_json())
        return item

    def delete(self, item_id):
        self._get_item(item_id)
        del self.store[item_id]
        return "", 204


class ItemListAPI(MethodView):
    def __init__(self, store):
        self.store = store

    def get(self):
        return list(self.store.values())

    def post(self):
        item = {"id": max(self.store, default=0) + 1, **request.get_json()}
        self.store[item["id"]] = item
        return item, 201


def register_api(app, name, store):
    app.add_url_rule(f"/{name}/", view_func=ItemListAPI.as_view(f"{name}_list", store))
    app.add_url_rule(f"/{name}/<int:item_id>", view_func=ItemAPI.as_view(f"{name}_item", store))


register_api(app, "books", {1: {"id": 1, "title": "Dune"}})
# --8<-- [end:method_view]
