"""Tests for erlen.config, compared against flask.Config where behaviour is shared."""

from __future__ import annotations

import errno
import json
import os
import textwrap
import typing as t
from datetime import timedelta
from pathlib import Path

import flask
import pytest
from werkzeug.utils import ImportStringError

from erlen.config import Config
from erlen.config import ConfigAttribute

# A module-level object for from_object("tests.test_config:Settings")-style imports.


class Settings:
    SECRET_KEY = "devkey"
    DEBUG = True
    TEST_KEY = "foo"
    lower_key = "skipped"
    MixedCase = "skipped"
    _PRIVATE = "kept: isupper() is true"


class ChildSettings(Settings):
    TEST_KEY = "child"

    @property
    def COMPUTED(self) -> str:
        return "computed"


def _both(root: str | os.PathLike[str]) -> tuple[Config, flask.Config]:
    return Config(root), flask.Config(root)


def test_is_a_dict_with_defaults_and_root_path(tmp_path: Path) -> None:
    config = Config(tmp_path, {"A": 1})
    assert isinstance(config, dict)
    assert config == {"A": 1}
    assert config.root_path == tmp_path
    assert Config(tmp_path) == {}


@pytest.mark.parametrize(
    "data",
    [{}, {"A": 1}, {"B": [1, 2], "C": {"x": "y"}}],
)
def test_repr_matches_flask(data: dict[str, t.Any]) -> None:
    ours = Config("/", data)
    assert repr(ours) == f"<Config {data!r}>"
    assert repr(ours) == repr(flask.Config("/", data))

    class Custom(Config):
        pass

    assert repr(Custom("/", data)).startswith("<Custom {")


# --- from_object -------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (
            Settings,
            {
                "SECRET_KEY": "devkey",
                "DEBUG": True,
                "TEST_KEY": "foo",
                "_PRIVATE": "kept: isupper() is true",
            },
        ),
        (
            ChildSettings(),
            {
                "SECRET_KEY": "devkey",
                "DEBUG": True,
                "TEST_KEY": "child",
                "COMPUTED": "computed",
                "_PRIVATE": "kept: isupper() is true",
            },
        ),
        (
            f"{__name__}.Settings",
            {
                "SECRET_KEY": "devkey",
                "DEBUG": True,
                "TEST_KEY": "foo",
                "_PRIVATE": "kept: isupper() is true",
            },
        ),
        (
            f"{__name__}:ChildSettings",
            {
                "SECRET_KEY": "devkey",
                "DEBUG": True,
                "TEST_KEY": "child",
                "_PRIVATE": "kept: isupper() is true",
                "COMPUTED": ChildSettings.__dict__["COMPUTED"],
            },
        ),
    ],
)
def test_from_object(obj: object, expected: dict[str, t.Any]) -> None:
    ours, theirs = _both("/")
    assert ours.from_object(obj) is None  # type: ignore[func-returns-value]
    theirs.from_object(obj)
    assert dict(ours) == expected
    assert dict(ours) == dict(theirs)


def test_from_object_bad_import_string() -> None:
    with pytest.raises(ImportStringError):
        Config("/").from_object("tests.does_not_exist_anywhere")


# --- from_pyfile / from_envvar -------------------------------------------------


def _write_pyfile(path: Path) -> Path:
    path.write_text(
        textwrap.dedent(
            """\
            import os
            SECRET_KEY = "devkey"
            TEST_KEY = "foo"
            lower = "skipped"
            FILE = __file__
            NAME = __name__
            """
        )
    )
    return path


@pytest.mark.parametrize("relative", [True, False])
def test_from_pyfile(tmp_path: Path, relative: bool) -> None:
    cfg = _write_pyfile(tmp_path / "settings.cfg")
    ours, theirs = _both(tmp_path)
    name: str = "settings.cfg" if relative else str(cfg)
    assert ours.from_pyfile(name) is True
    theirs.from_pyfile(name)
    assert ours == {
        "SECRET_KEY": "devkey",
        "TEST_KEY": "foo",
        "FILE": str(cfg),
        "NAME": "config",
    }
    assert dict(ours) == dict(theirs)


def test_from_pyfile_accepts_pathlike(tmp_path: Path) -> None:
    cfg = _write_pyfile(tmp_path / "settings.py")
    config = Config(tmp_path)
    assert config.from_pyfile(cfg) is True
    assert config["TEST_KEY"] == "foo"


@pytest.mark.parametrize(
    ("target", "errno_name"),
    [("missing.cfg", "ENOENT"), (".", "EISDIR"), ("file.txt/below.cfg", "ENOTDIR")],
)
def test_from_pyfile_missing(tmp_path: Path, target: str, errno_name: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    ours, theirs = _both(tmp_path)
    assert ours.from_pyfile(target, silent=True) is False
    with pytest.raises(OSError) as ours_info:
        ours.from_pyfile(target)
    with pytest.raises(OSError) as theirs_info:
        theirs.from_pyfile(target)
    assert ours_info.value.errno == getattr(errno, errno_name)
    assert str(ours_info.value.strerror).startswith(
        "Unable to load configuration file ("
    )
    assert str(ours_info.value) == str(theirs_info.value)
    assert ours == {}


def test_from_pyfile_propagates_code_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.cfg").write_text("X = 1 / 0\n")
    with pytest.raises(ZeroDivisionError):
        Config(tmp_path).from_pyfile("bad.cfg", silent=True)


def test_from_envvar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _write_pyfile(tmp_path / "settings.cfg")
    monkeypatch.setenv("ERLEN_TEST_SETTINGS", str(cfg))
    config = Config(tmp_path)
    assert config.from_envvar("ERLEN_TEST_SETTINGS") is True
    assert config["SECRET_KEY"] == "devkey"


@pytest.mark.parametrize("value", [None, ""])
def test_from_envvar_unset(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("ERLEN_TEST_SETTINGS", raising=False)
    else:
        monkeypatch.setenv("ERLEN_TEST_SETTINGS", value)
    ours, theirs = _both("/")
    assert ours.from_envvar("ERLEN_TEST_SETTINGS", silent=True) is False
    with pytest.raises(RuntimeError) as ours_info:
        ours.from_envvar("ERLEN_TEST_SETTINGS")
    with pytest.raises(RuntimeError) as theirs_info:
        theirs.from_envvar("ERLEN_TEST_SETTINGS")
    assert str(ours_info.value) == str(theirs_info.value)
    assert "'ERLEN_TEST_SETTINGS' is not set" in str(ours_info.value)


def test_from_envvar_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERLEN_TEST_SETTINGS", str(tmp_path / "missing.cfg"))
    config = Config(tmp_path)
    assert config.from_envvar("ERLEN_TEST_SETTINGS", silent=True) is False
    with pytest.raises(
        OSError, match=r"Unable to load configuration file \(No such file"
    ):
        config.from_envvar("ERLEN_TEST_SETTINGS")


# --- from_prefixed_env -------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for key in list(os.environ):
        if key.startswith(("ERLEN_", "FLASK_", "APP_")):
            monkeypatch.delenv(key)
    return monkeypatch


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"STRING": "value"}, {"STRING": "value"}),
        ({"INT": "1"}, {"INT": 1}),
        ({"FLOAT": "1.5"}, {"FLOAT": 1.5}),
        ({"BOOL": "true", "OFF": "false"}, {"BOOL": True, "OFF": False}),
        ({"NULL": "null"}, {"NULL": None}),
        ({"LIST": "[1, 2]"}, {"LIST": [1, 2]}),
        ({"DICT": '{"k": "v"}'}, {"DICT": {"k": "v"}}),
        ({"BAD_JSON": "{oops"}, {"BAD_JSON": "{oops"}),
        ({"lower": "kept"}, {"lower": "kept"}),
        ({"EXIST__NEW": "4"}, {"EXIST": {"ok": "value", "flag": True, "NEW": 4}}),
        (
            {"A__B__C": "1", "A__B__D": "2", "A__E": "x"},
            {"A": {"B": {"C": 1, "D": 2}, "E": "x"}},
        ),
        ({"NEW__DICT": "1"}, {"NEW": {"DICT": 1}}),
    ],
)
def test_from_prefixed_env(
    clean_env: pytest.MonkeyPatch, env: dict[str, str], expected: dict[str, t.Any]
) -> None:
    for key, value in env.items():
        clean_env.setenv(f"ERLEN_{key}", value)
        clean_env.setenv(f"FLASK_{key}", value)
        clean_env.setenv(f"OTHER_{key}", value)
    initial = {"EXIST": {"ok": "value", "flag": True}} if "EXIST__NEW" in env else {}
    ours = Config("/", json.loads(json.dumps(initial)))
    theirs = flask.Config("/", json.loads(json.dumps(initial)))
    assert ours.from_prefixed_env() is True
    theirs.from_prefixed_env()
    assert ours == expected
    assert dict(ours) == dict(theirs)


def test_from_prefixed_env_custom_prefix_and_loads(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("APP_A", "1")
    clean_env.setenv("APP_B__C", "2")
    clean_env.setenv("ERLEN_IGNORED", "3")
    config = Config("/")
    config.from_prefixed_env("APP", loads=lambda s: f"<{s}>")
    assert config == {"A": "<1>", "B": {"C": "<2>"}}


def test_from_prefixed_env_loads_errors_keep_string(
    clean_env: pytest.MonkeyPatch,
) -> None:
    def loads(value: str) -> t.Any:
        raise ValueError(value)

    clean_env.setenv("ERLEN_X", "raw")
    config = Config("/")
    config.from_prefixed_env(loads=loads)
    assert config == {"X": "raw"}


def test_from_prefixed_env_nested_non_dict(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ERLEN_EXIST__NEW", "1")
    ours = Config("/", {"EXIST": 5})
    with pytest.raises(TypeError):
        ours.from_prefixed_env()


# --- from_file / from_mapping ------------------------------------------------------


def test_from_file_json(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(
        json.dumps({"SECRET_KEY": "k", "TEST_KEY": "foo", "lower": 1})
    )
    config = Config(tmp_path)
    assert config.from_file("config.json", load=json.load) is True
    assert config == {"SECRET_KEY": "k", "TEST_KEY": "foo"}


def test_from_file_binary_toml(tmp_path: Path) -> None:
    tomllib = pytest.importorskip("tomllib")
    (tmp_path / "config.toml").write_text(
        'TEST_KEY = "foo"\nSECRET_KEY = "k"\nlower = 1\n'
    )
    config = Config(tmp_path)
    assert config.from_file("config.toml", load=tomllib.load, text=False) is True
    assert config == {"SECRET_KEY": "k", "TEST_KEY": "foo"}


def test_from_file_text_mode_passes_str(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text("X")
    seen: list[t.Any] = []

    def load(f: t.IO[t.Any]) -> dict[str, t.Any]:
        seen.append(f.read())
        return {}

    config = Config(tmp_path)
    config.from_file("c.txt", load)
    config.from_file("c.txt", load, text=False)
    assert seen == ["X", b"X"]


def test_from_file_missing(tmp_path: Path) -> None:
    ours, theirs = _both(tmp_path)
    assert ours.from_file("missing.json", json.load, silent=True) is False
    with pytest.raises(OSError) as ours_info:
        ours.from_file("missing.json", json.load)
    with pytest.raises(OSError) as theirs_info:
        theirs.from_file("missing.json", json.load)
    assert str(ours_info.value) == str(theirs_info.value)
    assert "Unable to load configuration file (No such file or directory)" in str(
        ours_info.value
    )


@pytest.mark.parametrize(
    ("mapping", "kwargs", "expected"),
    [
        (None, {}, {}),
        ({"A": 1, "b": 2}, {}, {"A": 1}),
        (None, {"A": 1, "b": 2}, {"A": 1}),
        ({"A": 1, "B": 2}, {"B": 3}, {"A": 1, "B": 3}),
        ([("A", 1), ("lower", 2)], {}, {"A": 1}),
    ],
)
def test_from_mapping(
    mapping: t.Any, kwargs: dict[str, t.Any], expected: dict[str, t.Any]
) -> None:
    ours, theirs = _both("/")
    assert ours.from_mapping(mapping, **kwargs) is True
    theirs.from_mapping(mapping, **kwargs)
    assert ours == expected
    assert dict(ours) == dict(theirs)


def test_from_mapping_rejects_two_positionals() -> None:
    with pytest.raises(TypeError):
        Config("/").from_mapping({"A": 1}, {"B": 2})  # type: ignore[call-arg]


# --- get_namespace --------------------------------------------------------------


@pytest.mark.parametrize(
    ("lowercase", "trim", "expected"),
    [
        (
            True,
            True,
            {
                "type": "fs",
                "path": "/var/app/images",
                "base_url": "http://img.example.com",
            },
        ),
        (
            False,
            True,
            {
                "TYPE": "fs",
                "PATH": "/var/app/images",
                "BASE_URL": "http://img.example.com",
            },
        ),
        (
            True,
            False,
            {
                "image_store_type": "fs",
                "image_store_path": "/var/app/images",
                "image_store_base_url": "http://img.example.com",
            },
        ),
        (
            False,
            False,
            {
                "IMAGE_STORE_TYPE": "fs",
                "IMAGE_STORE_PATH": "/var/app/images",
                "IMAGE_STORE_BASE_URL": "http://img.example.com",
            },
        ),
    ],
)
def test_get_namespace(lowercase: bool, trim: bool, expected: dict[str, t.Any]) -> None:
    data = {
        "IMAGE_STORE_TYPE": "fs",
        "IMAGE_STORE_PATH": "/var/app/images",
        "IMAGE_STORE_BASE_URL": "http://img.example.com",
        "IMAGE_STORAGE": "not in namespace",
        "OTHER": 1,
    }
    ours = Config("/", data).get_namespace(
        "IMAGE_STORE_", lowercase=lowercase, trim_namespace=trim
    )
    theirs = flask.Config("/", data).get_namespace(
        "IMAGE_STORE_", lowercase=lowercase, trim_namespace=trim
    )
    assert ours == expected
    assert ours == theirs


# --- ConfigAttribute ------------------------------------------------------------------


def _seconds_to_delta(value: t.Any) -> timedelta:
    return (
        timedelta(seconds=value) if isinstance(value, int) else t.cast(timedelta, value)
    )


class Holder:
    secret_key = ConfigAttribute[str | None]("SECRET_KEY")
    lifetime = ConfigAttribute[timedelta]("LIFETIME", get_converter=_seconds_to_delta)

    def __init__(self) -> None:
        self.config = Config("/", {"SECRET_KEY": None, "LIFETIME": 60})


def test_config_attribute_get_set() -> None:
    holder = Holder()
    assert holder.secret_key is None
    holder.secret_key = "abc"
    assert holder.config["SECRET_KEY"] == "abc"
    assert holder.secret_key == "abc"
    holder.config["SECRET_KEY"] = "xyz"
    assert holder.secret_key == "xyz"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [(60, timedelta(seconds=60)), (timedelta(days=2), timedelta(days=2))],
)
def test_config_attribute_converter(stored: t.Any, expected: timedelta) -> None:
    holder = Holder()
    holder.config["LIFETIME"] = stored
    assert holder.lifetime == expected
    holder.lifetime = 5
    # The converter applies on read only; the raw value is stored.
    assert holder.config["LIFETIME"] == 5
    assert holder.lifetime == timedelta(seconds=5)


def test_config_attribute_on_class_returns_descriptor() -> None:
    descriptor = Holder.__dict__["secret_key"]
    assert isinstance(descriptor, ConfigAttribute)
    assert Holder.secret_key is descriptor
    assert descriptor.__name__ == "SECRET_KEY"


def test_config_attribute_missing_key() -> None:
    holder = Holder()
    del holder.config["SECRET_KEY"]
    with pytest.raises(KeyError):
        _ = holder.secret_key
