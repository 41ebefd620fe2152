"""The request and response objects views see.

They are Werkzeug's wrappers (so extensions and ``isinstance`` checks keep
working) with Flask's additions: the matched rule, endpoint and blueprint,
and limits read from the app's config.
"""

from __future__ import annotations

import sys
import typing as t
from functools import cached_property
from http import HTTPStatus
from io import BytesIO
from tempfile import SpooledTemporaryFile
from urllib.parse import parse_qsl

from werkzeug.datastructures import EnvironHeaders
from werkzeug.datastructures import FileStorage
from werkzeug.datastructures import Headers
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wrappers import Response as ResponseBase
from werkzeug.wsgi import LimitedStream
from werkzeug.wsgi import get_content_length
from werkzeug.wsgi import get_input_stream

from . import json
from ._forms import PLAIN_MULTIDICTS
from ._forms import multidict
from ._forms import parse_content_type
from ._forms import parse_cookie_header
from ._forms import parse_multipart
from ._forms import parse_urlencoded
from .debughelpers import attach_enctype_error_multidict
from .globals import _cv_app
from .sansio.scaffold import _split_blueprint_path

#: ``{mimetype: Content-Type value}`` for the fast response constructor.
_CONTENT_TYPES: dict[str | None, str] = {}
#: ``{code: status line}`` (Werkzeug's form, e.g. ``"404 NOT FOUND"``) for known codes.
_STATUS_LINES: dict[int, str] = {
    code: f"{code} {reason.upper()}" for code, reason in HTTP_STATUS_CODES.items()
}

#: Werkzeug's parser hooks; a subclass overriding one gets Werkzeug's form parsing.
_BASE_MAKE_PARSER = RequestBase.make_form_data_parser
_BASE_STREAM_FOR_PARSING = RequestBase._get_stream_for_parsing
#: Werkzeug's multipart read size, kept so a replay gives its parser the same chunks.
_CHUNK_SIZE = 64 * 1024
#: Largest multipart body read whole when ``max_form_memory_size`` is ``None``.
_WHOLE_BODY_LIMIT = 500 * 1024


class _Replay:
    """A stream giving back already read chunks one per ``read``, then an error or EOF."""

    def __init__(self, chunks: list[bytes], error: BaseException | None) -> None:
        self._chunks = chunks[::-1]
        self._error = error

    def read(self, size: int = -1) -> bytes:
        if self._chunks:
            return self._chunks.pop()
        if self._error is not None:
            raise self._error
        return b""


def _read_body(
    stream: t.IO[bytes], content_length: int
) -> tuple[bytes | bytearray, list[bytes] | None, BaseException | None]:
    """Read a body to its end: ``(body read, chunks or None, read error or None)``.

    A replay to Werkzeug's parser needs what a loop of ``stream.read(64
    KiB)`` until ``b""`` gives: ``chunks`` when they were read that way,
    else ``None`` and :func:`_rechunk` cuts ``body`` the same way.

    PERF: from Werkzeug's ``LimitedStream`` the declared length is read with
    ``readinto`` into one buffer (no per-chunk ``bytes``, no join); then one
    more ``read`` ends the stream as the loop would (``b""``, or
    ``RequestEntityTooLarge`` past a maximum), and any further data is
    read by the loop.
    """
    if type(stream) is not LimitedStream or content_length <= 0:  # type: ignore[comparison-overlap]
        chunks: list[bytes] = []
        try:
            while True:
                chunk = stream.read(_CHUNK_SIZE)
                if not chunk:
                    break
                chunks.append(chunk)
        except Exception as e:
            return b"", chunks, e
        return b"".join(chunks), chunks, None
    buffer = bytearray(content_length)
    filled, error = _fill(stream, buffer)
    if error is not None:
        return buffer[:filled], None, error
    try:
        more = b""
        if filled == content_length:
            if stream.tell() >= stream.limit:
                # PERF: what read() does at the limit, without its 64 KiB
                # buffer: on_exhausted() (413 past a maximum), then nothing.
                stream.readinto(bytearray())
            else:
                more = stream.read(_CHUNK_SIZE)
    except Exception as e:
        return buffer[:filled], None, e
    if filled < content_length:
        buffer = buffer[:filled]
    if not more:
        return buffer, None, None
    chunks = _rechunk(buffer)
    try:
        while more:
            chunks.append(more)
            more = stream.read(_CHUNK_SIZE)
    except Exception as e:
        return b"", chunks, e
    return b"".join(chunks), chunks, None


def _prefill(container: t.IO[bytes], data: memoryview) -> bool:
    """Give a fresh ``SpooledTemporaryFile`` the content ``data``, at position 0.

    PERF: ``write`` copies the data into the spooled file's ``BytesIO``, whose
    buffer then has a spare byte, so ``read()`` copies it again. A
    ``BytesIO`` made from a ``bytes`` object shares it: one copy, and
    ``read()`` of the whole file returns that object. Done only for
    ``tempfile.SpooledTemporaryFile`` in memory (its ``_file``, documented
    as the underlying ``BytesIO``) when ``write`` would not roll it over to
    a real file (the size is within its ``_max_size``); ``False`` otherwise,
    and the caller writes.
    """
    if type(container) is not SpooledTemporaryFile:
        return False
    spool = t.cast(t.Any, container)
    max_size = spool._max_size
    if (
        type(spool._file) is not BytesIO
        or spool._rolled
        or spool._file.tell()
        or (max_size and len(data) > max_size)
    ):
        return False
    spool._file = BytesIO(data.tobytes())
    return True


def _read_all(stream: t.IO[bytes]) -> bytes | bytearray:
    """``stream.read()``.

    PERF: ``LimitedStream.read()`` loops over 64 KiB ``read`` calls (each a
    new ``bytearray`` and ``bytes``) until the limit or an empty read, then
    copies the lot. With at most 500 KiB left to its limit, the same
    ``readinto`` calls fill one buffer sized to what is left, with the
    same stops and errors. Other streams are read with ``read()``.
    """
    if type(stream) is not LimitedStream:  # type: ignore[comparison-overlap]
        return stream.read()
    remaining = stream.limit - stream.tell()
    if remaining <= 0 or remaining > _WHOLE_BODY_LIMIT:
        return stream.read()
    buffer = bytearray(remaining)
    filled, error = _fill(stream, buffer)
    if error is not None:
        raise error
    if filled < remaining:
        return buffer[:filled]
    return buffer


def _fill(stream: LimitedStream, buffer: bytearray) -> tuple[int, Exception | None]:
    """``readinto`` ``buffer`` until it is full or a read returns nothing.

    Returns:
        ``(bytes filled, None)``, or ``(bytes filled before it, the error)``
        when a read raised.
    """
    filled = 0
    try:
        with memoryview(buffer) as view:
            while filled < len(buffer):
                count = stream.readinto(view[filled:])  # type: ignore[arg-type]  # NOTE: any writable buffer; Werkzeug annotates bytearray
                if not count:
                    break
                filled += count
    except Exception as e:
        return filled, e
    return filled, None


def _rechunk(body: bytes | bytearray) -> list[bytes]:
    """``body`` in 64 KiB ``bytes`` chunks, as a loop of ``read(64 KiB)`` gives it."""
    return [bytes(body[i : i + _CHUNK_SIZE]) for i in range(0, len(body), _CHUNK_SIZE)]


if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Rule


def _wsgi_str(value: str) -> str:
    """Decode a PEP 3333 "bytes as latin-1" string as UTF-8 (invalid bytes replaced)."""
    if value.isascii():
        return value
    return value.encode("latin1").decode("utf-8", "replace")


def _config(key: str) -> tuple[bool, t.Any]:
    ctx = _cv_app.get(None)
    if ctx is None:
        return False, None
    return True, ctx.app.config[key]


class Request(RequestBase):
    """The request object; available as :data:`erlen.request` during a request.

    Attributes:
        url_rule: the matched :class:`werkzeug.routing.Rule`, or ``None`` when
            matching failed.
        view_args: the keyword arguments the view receives, ``{name: value}``,
            or ``None`` when matching failed.
        routing_exception: the :class:`~werkzeug.exceptions.HTTPException`
            raised by matching (404, 405, a 308 redirect), or ``None``.
    """

    json_module: t.Any = json

    def __init__(
        self,
        environ: WSGIEnvironment,
        populate_request: bool = True,
        shallow: bool = False,
    ) -> None:
        # PERF: Werkzeug's constructor eagerly computes method, scheme, server,
        # root path, path, query string, headers and remote address (about a
        # dozen calls); here each is computed on first access instead, and
        # most views read only one or two of them.
        self.environ = environ
        self.shallow = shallow
        if populate_request and not shallow:
            environ["werkzeug.request"] = self
        # PERF: every request reads the method (routing); set it here rather
        # than through a cached property's lock.
        self.method = environ.get("REQUEST_METHOD", "GET").upper()

    #: The request method, upper case (``"GET"``).
    method: str

    @cached_property
    def scheme(self) -> str:  # type: ignore[override]
        """The URL scheme of the request (``"http"`` or ``"https"``)."""
        return self.environ.get("wsgi.url_scheme", "http")  # type: ignore[no-any-return]

    @cached_property
    def server(self) -> tuple[str, int | None] | None:  # type: ignore[override]
        """The server address ``(host, port)`` from the WSGI environ, or ``None``."""
        name = self.environ.get("SERVER_NAME")
        if name is None:
            return None
        try:
            port: int | None = int(self.environ.get("SERVER_PORT"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            port = None
        return name, port

    @cached_property
    def root_path(self) -> str:  # type: ignore[override]
        """The prefix the app is mounted under (``SCRIPT_NAME``), without a trailing slash."""
        return _wsgi_str(self.environ.get("SCRIPT_NAME") or "").rstrip("/")

    @cached_property
    def path(self) -> str:  # type: ignore[override]
        """The path below :attr:`root_path`, always starting with one ``/``."""
        return "/" + _wsgi_str(self.environ.get("PATH_INFO") or "").lstrip("/")

    @cached_property
    def query_string(self) -> bytes:  # type: ignore[override]
        """The raw query string, as bytes."""
        return self.environ.get("QUERY_STRING", "").encode("latin1")  # type: ignore[no-any-return]

    @cached_property
    def headers(self) -> EnvironHeaders:  # type: ignore[override]
        """The request headers, read from the environ (case-insensitive, immutable)."""
        return EnvironHeaders(self.environ)

    @cached_property
    def cookies(self) -> ImmutableMultiDict[str, str]:
        """The request cookies: an immutable ``{name: [values]}`` multidict."""
        # PERF: Werkzeug reads ``headers.getlist("Cookie")``, which walks the
        # whole environ; the one environ key it can find is ``HTTP_COOKIE``.
        # PERF: the usual header is split without the regex; see _forms.parse_cookie_header.
        return t.cast(
            "ImmutableMultiDict[str, str]",
            parse_cookie_header(self.environ.get("HTTP_COOKIE", ""), self.dict_storage_class),
        )

    @cached_property
    def content_length(self) -> int | None:
        """The ``Content-Length`` as an int; ``None`` without one or when chunked.

        A value that is not a non-negative integer gives 0, as Werkzeug does.
        """
        # PERF: Werkzeug reads both headers through ``self.headers`` (an
        # ``EnvironHeaders`` built for it, two key translations); those keys
        # are ``CONTENT_LENGTH`` and ``HTTP_TRANSFER_ENCODING`` in the environ,
        # which ``werkzeug.wsgi.get_content_length`` reads. A subclass
        # overriding ``headers`` gets Werkzeug's property.
        if type(self).headers is not _REQUEST_HEADERS:
            return super().content_length
        return get_content_length(self.environ)

    @cached_property
    def remote_addr(self) -> str | None:  # type: ignore[override]
        """The client address (``REMOTE_ADDR``), or ``None``."""
        return self.environ.get("REMOTE_ADDR")

    @cached_property
    def stream(self) -> t.IO[bytes]:
        """The body as a file-like stream, limited to ``Content-Length`` and :attr:`max_content_length`.

        On the ASGI front, in a view marked with
        :func:`erlen.stream_request_body`, it is the unbuffered body:
        ``async for chunk in request.stream``.

        A body the server ends itself (``wsgi.input_terminated``, e.g. a
        chunked one) is wrapped even without a limit, so that a read error in
        the server's decoder (a malformed chunk) raises ``ClientDisconnected``
        (400) like a short body does.

        Raises:
            RuntimeError: the request is shallow (its body must not be read).
            werkzeug.exceptions.RequestEntityTooLarge: the declared length
                exceeds :attr:`max_content_length` (413).
        """
        body_stream = self.environ.get("erlen.body_stream")
        if body_stream is not None:
            return body_stream  # type: ignore[no-any-return]
        if self.shallow:
            raise RuntimeError(
                "This request was created with 'shallow=True', reading"
                " from the input stream is disabled."
            )
        environ = self.environ
        if "wsgi.input_terminated" not in environ:
            # PERF: what get_input_stream gives a body with a Content-Length
            # (the usual case), in fewer calls.
            content_length = get_content_length(environ)
            if content_length is not None:
                max_length = self.max_content_length
                if max_length is not None and content_length > max_length:
                    raise RequestEntityTooLarge()
                return t.cast(t.IO[bytes], LimitedStream(environ["wsgi.input"], content_length))
        stream = get_input_stream(environ, max_content_length=self.max_content_length)
        if "wsgi.input_terminated" in environ and not isinstance(stream, LimitedStream):
            # NOTE: deliberate difference from Flask 3.1, which reads such a
            # body unwrapped: the OSError("Invalid chunk header") of Werkzeug's
            # dev server then reaches the view and becomes a 500.
            stream = t.cast(t.IO[bytes], LimitedStream(stream, sys.maxsize, is_max=True))
        return stream

    url_rule: Rule | None = None
    view_args: dict[str, t.Any] | None = None
    routing_exception: HTTPException | None = None

    _max_content_length: int | None = None
    _max_form_memory_size: int | None = None
    #: What ``get_data(cache=True)`` keeps; ``None`` until then. PERF: a class
    #: default, so Werkzeug's ``getattr(self, "_cached_data", None)`` in
    #: ``_get_stream_for_parsing`` finds it without raising AttributeError.
    _cached_data: bytes = None  # type: ignore[assignment]
    _max_form_parts: int | None = None

    @property
    def max_content_length(self) -> int | None:
        """Largest accepted body in bytes; a larger one raises ``RequestEntityTooLarge`` (413).

        Set per request, or read from ``MAX_CONTENT_LENGTH`` (default
        ``None``: no limit, though form parsing has its own limits).
        """
        if self._max_content_length is not None:
            return self._max_content_length
        found, value = _config("MAX_CONTENT_LENGTH")
        return value if found else super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """Largest non-file form field in bytes; larger raises ``RequestEntityTooLarge`` (413).

        Set per request, or read from ``MAX_FORM_MEMORY_SIZE`` (default
        500,000 bytes; ``None`` for no limit).
        """
        if self._max_form_memory_size is not None:
            return self._max_form_memory_size
        found, value = _config("MAX_FORM_MEMORY_SIZE")
        return value if found else super().max_form_memory_size

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value

    @property  # type: ignore[override]
    def max_form_parts(self) -> int | None:
        """Most multipart form parts accepted; more raises ``RequestEntityTooLarge`` (413).

        Set per request, or read from ``MAX_FORM_PARTS`` (default 1,000;
        ``None`` for no limit).
        """
        if self._max_form_parts is not None:
            return self._max_form_parts
        found, value = _config("MAX_FORM_PARTS")
        return value if found else super().max_form_parts

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    @property
    def endpoint(self) -> str | None:
        """The matched endpoint (``"blueprint.view"``), or ``None`` when matching failed."""
        if self.url_rule is not None:
            return self.url_rule.endpoint  # type: ignore[no-any-return]
        return None

    @property
    def blueprint(self) -> str | None:
        """The dotted name of the matched endpoint's blueprint, or ``None``."""
        endpoint = self.endpoint
        if endpoint is not None and "." in endpoint:
            return endpoint.rpartition(".")[0]
        return None

    _blueprints: tuple[Rule | None, list[str]] | None = None

    @property
    def blueprints(self) -> list[str]:
        """The matched blueprint and its parents, innermost first (``["a.b", "a"]``)."""
        # PERF: read several times per request (hooks, handlers, teardown);
        # computed once per matched rule.
        rule = self.url_rule
        cached = self._blueprints
        if cached is not None and cached[0] is rule:
            return cached[1]
        name = self.blueprint
        out = [] if name is None else _split_blueprint_path(name)
        self._blueprints = (rule, out)
        return out

    def _parse_content_type(self) -> None:
        # PERF: the same few Content-Type values recur; see _forms.parse_content_type.
        if not hasattr(self, "_parsed_content_type"):
            self._parsed_content_type = parse_content_type(self.environ.get("CONTENT_TYPE", ""))

    def _load_form_data(self) -> None:
        if "form" not in self.__dict__:
            if (
                self.form_data_parser_class is FormDataParser
                and type(self).make_form_data_parser is _BASE_MAKE_PARSER
                and type(self)._get_stream_for_parsing is _BASE_STREAM_FOR_PARSING
                and self.want_form_data_parsed
            ):
                self._load_form_data_fast()
            else:
                super()._load_form_data()
        # COMPAT: in debug mode Flask makes ``request.files[key]`` explain a
        # form sent without ``enctype="multipart/form-data"``.
        ctx = _cv_app.get(None)
        if (
            ctx is not None
            and ctx.app.debug
            and self.mimetype != "multipart/form-data"
            and not self.files
        ):
            attach_enctype_error_multidict(self)

    def _load_form_data_fast(self) -> None:
        """Parse the body as Werkzeug's ``FormDataParser`` would, with fewer steps.

        PERF: Werkzeug builds a ``FormDataParser`` (and for multipart a
        ``MultiPartParser`` and an event-driven ``MultipartDecoder``) for every
        request. Here a urlencoded body is read and split directly
        (:func:`erlen._forms.parse_urlencoded`), and a multipart body with a
        known length within ``max_form_memory_size`` (500 kB by default) is
        read in Werkzeug's 64 KiB chunks and parsed whole
        (:func:`erlen._forms.parse_multipart`). A multipart body that parser
        does not accept, or whose reading fails, is handed to Werkzeug's
        parser as the chunks read so far (then the read error), so every
        result, limit (413) and error (400) is Werkzeug's. Used only while
        ``form_data_parser_class``, ``make_form_data_parser`` and
        ``_get_stream_for_parsing`` are Werkzeug's.
        """
        d = self.__dict__
        mimetype = self.mimetype
        cls = self.parameter_storage_class
        if mimetype == "application/x-www-form-urlencoded":
            stream = self._get_stream_for_parsing()
            try:
                text = _read_all(stream).decode()
            except UnicodeDecodeError:  # a ValueError: Werkzeug's parser answers an empty form
                d["stream"], d["form"], d["files"] = stream, cls(), cls()
                return
            d["stream"], d["form"], d["files"] = stream, multidict(cls, parse_urlencoded(text)), cls()
            return
        if mimetype != "multipart/form-data":
            d["stream"], d["form"], d["files"] = self._get_stream_for_parsing(), cls(), cls()
            return
        boundary = self.mimetype_params.get("boundary", "")
        content_length = self.content_length
        memory_limit = self.max_form_memory_size
        stream = self._get_stream_for_parsing()
        if (
            not boundary
            or not boundary.isascii()
            or content_length is None
            or content_length > (_WHOLE_BODY_LIMIT if memory_limit is None else memory_limit)
        ):
            self._parse_with_werkzeug(stream)
            return
        body, chunks, error = _read_body(stream, content_length)
        parsed = None
        if error is None:
            parsed = parse_multipart(body, boundary.encode("ascii"), self.max_form_parts)
        if parsed is None:
            replay = _rechunk(body) if chunks is None else chunks
            self._parse_with_werkzeug(_Replay(replay, error), stream)
            return
        fields, file_parts = parsed
        files: list[tuple[str | None, FileStorage]] = []
        for part in file_parts:
            container = self._get_file_stream(
                total_content_length=content_length,
                filename=part.filename,
                content_type=part.headers.get("content-type"),
                content_length=0,
            )
            if not _prefill(container, part.data):
                container.write(part.data)
                container.seek(0)
            files.append(
                (part.name, FileStorage(container, part.filename, part.name, headers=part.headers))
            )
        # NOTE: a part without a name is stored under None, as Werkzeug does.
        d["stream"], d["form"], d["files"] = (
            stream,
            multidict(cls, t.cast("list[tuple[t.Any, t.Any]]", fields)),
            multidict(cls, t.cast("list[tuple[t.Any, t.Any]]", files)),
        )

    def _parse_with_werkzeug(self, source: t.Any, stream: t.IO[bytes] | None = None) -> None:
        """Parse ``source`` with Werkzeug's parser; ``request.stream`` becomes ``stream`` if given."""
        data = self.make_form_data_parser().parse(
            source, self.mimetype, self.content_length, self.mimetype_params
        )
        d = self.__dict__
        d["stream"], d["form"], d["files"] = data
        if stream is not None:
            d["stream"] = stream

    def close(self) -> None:
        """Close uploaded files, if the form was parsed; see :meth:`werkzeug.wrappers.Request.close`."""
        files = self.__dict__.get("files")
        if not files:
            return
        if type(files) in PLAIN_MULTIDICTS:
            # PERF: Werkzeug's close walks iter_multi_items' generator over
            # items(multi=True), another generator: for these classes, the
            # values in the same order are the lists the dict holds.
            for values in dict.values(files):
                for value in values:
                    value.close()
            return
        super().close()

    @cached_property
    def args(self) -> MultiDict[str, str]:
        """The parsed query string: an immutable ``{name: [values]}`` multidict.

        Percent-escapes, and raw bytes, that are not valid UTF-8 stay
        percent-encoded (``"?a=%FF"`` gives ``{"a": "%FF"}``).
        """
        # NOTE: deliberate difference from Flask 3.1: Werkzeug decodes the raw
        # query strictly, so a server that passes non-UTF-8 bytes through
        # (gunicorn does; Werkzeug's own server re-encodes them) makes
        # "?a=\x80" a UnicodeDecodeError and a 500.
        return self.parameter_storage_class(
            parse_qsl(
                self.query_string.decode("utf-8", "werkzeug.url_quote"),
                keep_blank_values=True,
                errors="werkzeug.url_quote",
            )
        )

    @property
    def full_path(self) -> str:
        """The path and the query string (``"/a?b=c"``; ``"/a?"`` without one)."""
        return f"{self.path}?{self.query_string.decode('utf-8', 'werkzeug.url_quote')}"

    def get_json(
        self, force: bool = False, silent: bool = False, cache: bool = True
    ) -> t.Any:
        """Parse the body as JSON; see :meth:`werkzeug.wrappers.Request.get_json`.

        Args:
            force: parse whatever the content type.
            silent: return ``None`` instead of raising on a bad body.
            cache: remember the result for later calls.

        Raises:
            BadRequest: the body is not valid JSON (400), including JSON
                nested too deeply for the parser.
            UnsupportedMediaType: the content type is not JSON and
                ``force`` is false (415).
        """
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            # NOTE: deliberate difference from Flask 3.1, where a body such as
            # "[[[[..." nested past the parser's recursion limit escapes as a
            # RecursionError and becomes a 500. Malformed input is a 400.
            if silent:
                return None
            return self.on_json_loading_failed(ValueError("JSON is nested too deeply"))

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """Raise 400 Bad Request for a body that is not valid JSON.

        The parser's message is kept only in debug mode, as in Flask.

        Raises:
            BadRequest: always.
        """
        try:
            return super().on_json_loading_failed(e)
        except BadRequest as ebr:
            ctx = _cv_app.get(None)
            if ctx is not None and ctx.app.debug:
                raise
            raise BadRequest() from ebr


#: ``Request.headers``, to recognise subclasses that keep it.
_REQUEST_HEADERS = Request.__dict__["headers"]


class Response(ResponseBase):
    """The response class; ``text/html`` by default, as in Flask.

    ``max_cookie_size`` (bytes) comes from ``MAX_COOKIE_SIZE`` when an app
    context is active; larger cookies give a warning.
    """

    default_mimetype: str | None = "text/html"
    json_module = json
    autocorrect_location_header = False

    def __init__(
        self,
        response: t.Iterable[bytes]
        | bytes
        | t.Iterable[str]
        | str
        | t.AsyncIterable[bytes]
        | t.AsyncIterable[str]
        | None = None,
        status: int | str | HTTPStatus | None = None,
        headers: t.Mapping[str, str | t.Iterable[str]]
        | t.Iterable[tuple[str, str]]
        | None = None,
        mimetype: str | None = None,
        content_type: str | None = None,
        direct_passthrough: bool = False,
    ) -> None:
        # PERF: a text or bytes body with the default status and type is
        # what most views return; set the same attributes Werkzeug's
        # constructor would, without its header validation and parsing
        # (about 30 calls fewer). Anything else takes Werkzeug's path.
        kind = type(response)
        if status is None:
            status_line: str | None = "200 OK"
            code = 200
        elif type(status) is int:
            code = status
            status_line = _STATUS_LINES.get(code)
        else:
            status_line = None
        if (
            (kind is str or kind is bytes)
            and status_line is not None
            and headers is None
            and content_type is None
            and not direct_passthrough
            and self.default_status == 200
        ):
            data: bytes = response.encode() if kind is str else response  # type: ignore[union-attr,assignment]
            # PERF: an empty Headers without running its constructor; the
            # header list is Werkzeug's private ``_list``.
            self.headers = headers_obj = Headers.__new__(Headers)
            headers_obj._list = header_list = []
            if mimetype is None:
                mimetype = self.default_mimetype
            content_type = _CONTENT_TYPES.get(mimetype)
            if content_type is None and mimetype is not None:
                content_type = _CONTENT_TYPES[mimetype] = get_content_type(mimetype, "utf-8")
            if content_type is not None:
                header_list.append(("Content-Type", content_type))
            if self.automatically_set_content_length:
                header_list.append(("Content-Length", str(len(data))))
            self._status = status_line
            self._status_code = code
            self.direct_passthrough = False
            self._on_close = []
            self.response = [data]
            return
        super().__init__(
            response,  # type: ignore[arg-type]  # NOTE: async bodies, which Werkzeug's annotation lacks
            status,
            headers,
            mimetype,
            content_type,
            direct_passthrough,
        )

    def _buffered_body(self, method: str) -> bytes | None:
        """The body, when this response's status and body let it be sent as-is, else ``None``.

        That is a buffered body (one ``bytes`` chunk) with a status that has a
        body, no close callbacks, and not a ``HEAD`` request. The headers are
        checked by the caller (:meth:`_buffered_parts` here, the ASGI front's
        encoder there): no ``Location``/``Content-Location`` to normalise.
        """
        body = self.response
        code = self._status_code
        if (
            code < 200
            or code == 204
            or code == 304
            or type(body) is not list
            or len(body) != 1
            or type(body[0]) is not bytes
            or self._on_close
            or self.direct_passthrough
            or method == "HEAD"
        ):
            return None
        return body[0]

    def _buffered_parts(self, method: str) -> list[tuple[str, str]] | None:
        """The final header list when this response can be sent as-is, else ``None``.

        That is when :meth:`_buffered_body` allows it and no
        ``Location``/``Content-Location`` header needs normalising: exactly
        the cases where Werkzeug's :meth:`get_wsgi_headers` would only add
        ``Content-Length``.
        """
        data = self._buffered_body(method)
        if data is None:
            return None
        header_list = self.headers._list  # PERF: private list; see __init__
        has_length = False
        for name, _ in header_list:
            lowered = name.lower()
            if lowered == "content-length":
                has_length = True
            elif lowered == "location" or lowered == "content-location":
                return None
        headers = list(header_list)
        if not has_length and self.automatically_set_content_length:
            headers.append(("Content-Length", str(len(data))))
        return headers

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        """Send the response as a WSGI application (PEP 3333).

        A buffered response that needs no header normalisation (see
        :meth:`_buffered_parts`) is sent directly; everything else goes
        through Werkzeug's :meth:`get_wsgi_response`, which handles ``HEAD``,
        bodiless statuses, ``Location`` and streaming.
        """
        headers = self._buffered_parts(environ.get("REQUEST_METHOD", "GET"))
        if headers is not None:
            start_response(self._status, headers)
            return self.response  # type: ignore[return-value]
        return super().__call__(environ, start_response)

    @property
    def max_cookie_size(self) -> int:  # type: ignore[override]
        """Largest cookie in bytes before a warning (``MAX_COOKIE_SIZE``, default 4093)."""
        found, value = _config("MAX_COOKIE_SIZE")
        return t.cast(int, value if found else super().max_cookie_size)
