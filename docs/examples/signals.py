from blinker import Namespace

from erlen import Erlen, request, request_finished

app = Erlen(__name__)

# --8<-- [start:receive]
RESPONSE_SIZES = []


def record_size(sender, response, **extra):
    # sender is the app; extra holds arguments future versions may add.
    RESPONSE_SIZES.append((request.path, response.content_length))


# Receivers for signals sent by this app only (sender=app).
request_finished.connect(record_size, app)
# --8<-- [end:receive]


# --8<-- [start:custom]
shop_signals = Namespace()
order_placed = shop_signals.signal("order-placed")

SHIPPING_QUEUE = []


@order_placed.connect
def queue_shipping(sender, item, **extra):
    SHIPPING_QUEUE.append(item)


@app.post("/orders/<item>")
def place_order(item):
    # Pass the real app object, not the current_app proxy, as the sender.
    order_placed.send(app, item=item)
    return {"ordered": item}
# --8<-- [end:custom]
