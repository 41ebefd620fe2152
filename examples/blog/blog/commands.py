"""``erlen init-db`` and ``erlen seed-db``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask_migrate import upgrade

from erlen import Erlen
from erlen import current_app
from erlen.cli import with_appcontext

from .extensions import db
from .models import User


@click.command("init-db")
@click.option("--drop", is_flag=True, help="Drop every table first (destroys all data).")
@with_appcontext
def init_db_command(drop: bool) -> None:
    """Create or upgrade the database schema to the latest migration."""
    directory = current_app.extensions["migrate"].directory
    if drop:
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        click.echo("Dropped all tables.")
    upgrade(directory=directory)
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("seed-db")
@click.option("--reset", is_flag=True, help="Delete existing data and seed again.")
@with_appcontext
def seed_db_command(reset: bool) -> None:
    """Fill an empty database with sample users, posts, tags and comments."""
    from .seed import SEED_PASSWORD
    from .seed import clear
    from .seed import seed

    if db.session.scalar(sa.select(sa.func.count(User.id))):
        if not reset:
            click.echo("The database already has data; not seeding it again (use --reset to start over).")
            return
        clear()
    counts = seed()
    click.echo(
        "Seeded {users} users, {posts} posts ({drafts} drafts), {tags} tags and {comments} comments.".format(**counts)
    )
    click.echo(f"Log in as 'admin' (or any other sample user) with the password {SEED_PASSWORD!r}.")


def register_commands(app: Erlen) -> None:
    app.cli.add_command(init_db_command)
    app.cli.add_command(seed_db_command)
