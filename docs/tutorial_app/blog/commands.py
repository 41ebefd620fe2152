"""`erlen init-db` and `erlen create-user`."""

import click

from erlen.cli import with_appcontext

from .extensions import db
from .models import User


@click.command("init-db")
@click.option("--drop", is_flag=True, help="Drop every table first (destroys all data).")
@with_appcontext
def init_db_command(drop):
    """Create the database tables."""
    if drop:
        db.drop_all()
    db.create_all()
    click.echo("Database ready.")


@click.command("create-user")
@click.argument("username")
@click.password_option()
@with_appcontext
def create_user_command(username, password):
    """Create an account from the command line."""
    user = User(username=username)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {username}.")


def register_commands(app):
    # with_appcontext (above) pushes an app context, so db finds the app.
    app.cli.add_command(init_db_command)
    app.cli.add_command(create_user_command)
