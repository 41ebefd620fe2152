from datetime import date

from markupsafe import Markup

from erlen import Erlen, render_template, render_template_string, stream_template

app = Erlen(__name__)

PRODUCTS = [
    {"name": "Tea <loose leaf>", "cents": 450},
    {"name": "Mug", "cents": 1200},
]


# --8<-- [start:helpers]
@app.template_filter("money")
def money(cents):
    """{{ 1200 | money }} -> 12.00 €"""
    return f"{cents / 100:.2f} €"


@app.template_global()
def current_year():
    return date.today().year


@app.context_processor
def shop_details():
    # Merged into the context of every template rendered by this app.
    return {"shop_name": "The Corner Shop"}
# --8<-- [end:helpers]


# --8<-- [start:views]
@app.get("/")
def index():
    return render_template(
        "shop/index.html",
        products=PRODUCTS,
        # Markup marks text as safe HTML: it is not escaped. Never wrap user input.
        note=Markup("<em>Prices include VAT.</em>"),
    )


@app.get("/greeting/<name>")
def greeting(name):
    return render_template_string("<p>Hi {{ name }}!</p>", name=name)
# --8<-- [end:views]


# --8<-- [start:stream]
@app.get("/catalogue")
def catalogue():
    # Sends the page in pieces as it renders, for very long pages.
    return stream_template("shop/index.html", products=PRODUCTS * 500, note="")
# --8<-- [end:stream]
