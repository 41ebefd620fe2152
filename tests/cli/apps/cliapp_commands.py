"""An app with custom commands, command groups and blueprint command groups."""

from __future__ import annotations

import click

from erlen import Blueprint
from erlen import Erlen
from erlen import current_app
from erlen import g
from erlen import has_app_context
from erlen.cli import AppGroup

app = Erlen("cliapp_commands")


@app.shell_context_processor
def shell_extras() -> dict[str, object]:
    return {"answer": 42}


@app.cli.command
def bare() -> None:
    """A command declared without parentheses."""
    click.echo(f"bare in {current_app.name}")


@app.cli.command("greet")
@click.argument("name")
@click.option("--shout", is_flag=True)
def greet(name: str, shout: bool) -> None:
    """Greet someone from inside the app context."""
    g.greeting = f"hello {name}"
    text = str(g.greeting)
    click.echo(text.upper() if shout else text)


@app.cli.command("context", with_appcontext=False)
def context() -> None:
    click.echo(f"has_app_context={has_app_context()}")


@app.cli.group("nested")
def nested() -> None:
    """A group made with app.cli.group()."""


@nested.command("deep")
def deep() -> None:
    click.echo(f"deep in {current_app.name}")


db = AppGroup("db", help="Database commands.")


@db.command("init")
def db_init() -> None:
    click.echo(f"initialised the database of {current_app.name}")


app.cli.add_command(db)

users = Blueprint("users", __name__)


@users.cli.command("create")
@click.argument("username")
def create_user(username: str) -> None:
    click.echo(f"created {username} in {current_app.name}")


tools = Blueprint("tools", __name__, cli_group=None)


@tools.cli.command("tool")
def tool() -> None:
    click.echo("tool at the top level")


reports = Blueprint("reports", __name__, cli_group="stats")


@reports.cli.command("daily")
def daily() -> None:
    click.echo("daily report")


app.register_blueprint(users)
app.register_blueprint(tools)
app.register_blueprint(reports)
