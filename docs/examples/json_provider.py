import datetime

from erlen import Erlen
from erlen.json.provider import DefaultJSONProvider


class ShopJSONProvider(DefaultJSONProvider):
    # Keep keys in the order the view built them.
    sort_keys = False

    @staticmethod
    def default(o):
        # Called for values the json module can't serialise. Dates become
        # ISO 8601 ("2025-01-31") instead of the default HTTP date format.
        if isinstance(o, datetime.date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


class ShopApp(Erlen):
    json_provider_class = ShopJSONProvider


app = ShopApp(__name__)
app.json.ensure_ascii = False  # send "€" rather than "\u20ac"


@app.get("/price")
def price():
    return {"item": "tea", "price": "4.50", "currency": "€", "since": datetime.date(2025, 1, 31)}
