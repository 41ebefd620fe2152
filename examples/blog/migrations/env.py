"""How Alembic reaches the blog's database: through the app's Flask-Migrate extension.

``erlen db upgrade`` (and ``erlen init-db``) run this with the app context
pushed, so the engine, the models' metadata and the options given to
``Migrate`` all come from the application.
"""

from __future__ import annotations

import logging
import typing as t
from logging.config import fileConfig

from alembic import context

from erlen import current_app

config = context.config
logger = logging.getLogger("alembic.env")

# Configure logging for the command line only; under a test runner (or any
# program that already set up logging) leave the handlers alone.
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

migrate_ext = current_app.extensions["migrate"]
target_metadata = migrate_ext.db.metadata


def _drop_empty_revision(ctx: t.Any, revision: t.Any, directives: list[t.Any]) -> None:
    """With ``erlen db migrate``, write no revision file when the models did not change."""
    cmd_opts = getattr(config, "cmd_opts", None)
    if getattr(cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives.clear()
        logger.info("The models match the database; no migration written.")


def run_offline() -> None:
    """Print the SQL (``erlen db upgrade --sql``) instead of running it."""
    context.configure(
        url=migrate_ext.db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        **migrate_ext.configure_args,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    options = dict(migrate_ext.configure_args)
    options.setdefault("process_revision_directives", _drop_empty_revision)
    with migrate_ext.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
