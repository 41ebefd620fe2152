"""Blueprints with the parts that touch files: static files, resources, CLI group."""

from __future__ import annotations

import os
import typing as t

from ._files import max_age_seconds
from ._files import open_for_reading
from ._files import send_static
from .globals import current_app
from .sansio.blueprints import Blueprint as SansioBlueprint
from .sansio.blueprints import BlueprintSetupState as BlueprintSetupState
from .sansio.scaffold import _sentinel

if t.TYPE_CHECKING:  # pragma: no cover
    import click

    from .wrappers import Response


class Blueprint(SansioBlueprint):
    """A group of routes, hooks, templates and static files; see :class:`erlen.sansio.blueprints.Blueprint`."""

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None,
        cli_group: str | None = _sentinel,  # type: ignore[assignment]
    ) -> None:
        super().__init__(
            name,
            import_name,
            static_folder,
            static_url_path,
            template_folder,
            url_prefix,
            subdomain,
            url_defaults,
            root_path,
            cli_group,
        )

    def _make_cli_group(self) -> click.Group:
        """Make :attr:`cli`: an :class:`~erlen.cli.AppGroup` named after this object."""
        from .cli import AppGroup

        return AppGroup(self.name)

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """``Cache-Control: max-age`` in seconds for files this blueprint sends (``SEND_FILE_MAX_AGE_DEFAULT``)."""
        return max_age_seconds(current_app.config["SEND_FILE_MAX_AGE_DEFAULT"])

    def send_static_file(self, filename: str) -> Response:
        """The view of the blueprint's ``static`` endpoint.

        Raises:
            RuntimeError: the blueprint has no static folder.
            werkzeug.exceptions.NotFound: no such file, or it escapes the folder.
        """
        return send_static(self.static_folder, filename, self.get_send_file_max_age(filename))

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[t.AnyStr]:
        """Open ``resource`` relative to the blueprint's ``root_path`` for reading.

        Raises:
            ValueError: ``mode`` is not a read mode.
        """
        return open_for_reading(self.root_path, resource, mode, encoding)
