import click

from erlen import Blueprint, Erlen, current_app
from erlen.cli import AppGroup

app = Erlen(__name__)
app.config["INVENTORY"] = {"tea": 12, "mug": 3}


# --8<-- [start:command]
@app.cli.command("restock")
@click.argument("item")
@click.option("--amount", default=10, show_default=True, help="How many to add.")
def restock(item, amount):
    """Add stock for ITEM."""
    # Commands on app.cli run inside an app context: current_app works.
    inventory = current_app.config["INVENTORY"]
    inventory[item] = inventory.get(item, 0) + amount
    click.echo(f"{item}: {inventory[item]} in stock")
# --8<-- [end:command]


# --8<-- [start:group]
report = AppGroup("report", help="Reports about the shop.")


@report.command("stock")
def stock_report():
    """List items and their stock."""
    for item, count in sorted(current_app.config["INVENTORY"].items()):
        click.echo(f"{item:10} {count:5}")


app.cli.add_command(report)  # erlen report stock
# --8<-- [end:group]


# --8<-- [start:blueprint]
users = Blueprint("users", __name__)


@users.cli.command("create")
@click.argument("name")
def create_user(name):
    """Create a user account."""
    click.echo(f"Created user {name}")


app.register_blueprint(users)  # erlen users create NAME
# --8<-- [end:blueprint]


# --8<-- [start:shell]
@app.shell_context_processor
def shell_names():
    # Available without an import in `erlen shell`.
    return {"inventory": app.config["INVENTORY"]}
# --8<-- [end:shell]
