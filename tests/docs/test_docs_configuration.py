"""docs/guides/configuration.md."""

from __future__ import annotations

import types
import typing as t
from pathlib import Path

import pytest

LoadExample = t.Callable[[str], types.ModuleType]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ERLEN_DEBUG", "FLASK_DEBUG", "SHOP_CONFIG", "SHOP_SECRET_KEY", "SHOP_DATABASE_URL", "SHOP_SHOP_ITEMS_PER_PAGE"):
        monkeypatch.delenv(name, raising=False)


def test_layers(load_example: LoadExample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_example("configuration")
    app = module.create_app("development", instance_path=str(tmp_path))
    assert app.test_client().get("/settings").get_json() == {
        "debug": True,
        "database": "sqlite:///shop.sqlite3",
        "shop": {"items_per_page": 20},
    }

    with pytest.raises(RuntimeError, match="SHOP_SECRET_KEY"):
        module.create_app("production", instance_path=str(tmp_path))

    (tmp_path / "settings.py").write_text('SECRET_KEY = "from-the-instance-folder"\n')
    monkeypatch.setenv("SHOP_CONFIG", "production")
    monkeypatch.setenv("SHOP_DATABASE_URL", "postgresql://db/shop")
    monkeypatch.setenv("SHOP_SHOP_ITEMS_PER_PAGE", "50")
    app = module.create_app(instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-the-instance-folder"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    client = app.test_client(asgi=True)
    assert client.get("/settings").get_json() == {
        "debug": False,
        "database": "postgresql://db/shop",
        "shop": {"items_per_page": 50},
    }


@pytest.mark.parametrize("asgi", [False, True], ids=["wsgi", "asgi"])
def test_json_provider(load_example: LoadExample, asgi: bool) -> None:
    client = load_example("json_provider").app.test_client(asgi=asgi)
    response = client.get("/price")
    assert response.data.decode() == '{"item":"tea","price":"4.50","currency":"€","since":"2025-01-31"}\n'
