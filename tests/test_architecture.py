"""The Architecture page lists the import layers in the order the contract holds them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def contract_layers() -> list[list[str]]:
    text = (ROOT / "pyproject.toml").read_text()
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the one `layers = [...]` list, read as text
        block = re.search(r"^layers = \[\n(.*?)^\]", text, flags=re.M | re.S)
        assert block is not None
        layers = re.findall(r'"([^"]+)"', block.group(1))
    else:
        config: dict[str, Any] = tomllib.loads(text)
        (contract,) = [
            c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
        ]
        layers = contract["layers"]
    return [[name.strip() for name in layer.split("|")] for layer in layers]


def page_layers(page: str) -> list[list[str]]:
    text = (ROOT / "docs" / page).read_text()
    section = text.split("\n## ")[1]  # the first section lists the layers
    items = re.findall(r"^\d+\. (.*?): ", section, flags=re.M)
    return [re.findall(r"`([\w.]+)`", item) for item in items]


@pytest.mark.parametrize("page", ["architecture.md", "architecture.ko.md"])
def test_page_lists_the_contract_layers_in_order(page: str) -> None:
    assert page_layers(page) == contract_layers()


@pytest.mark.parametrize("page", ["architecture.md", "architecture.ko.md"])
def test_diagram_shows_the_same_layers(page: str) -> None:
    text = (ROOT / "docs" / page).read_text()
    diagram = re.search(r"```text\n(.*?)```", text, flags=re.S)
    assert diagram is not None
    rows = [line.strip() for line in diagram.group(1).splitlines() if line.strip() != "▼"]
    assert [[name.strip() for name in row.split("·")] for row in rows] == contract_layers()


@pytest.mark.parametrize("page", ["reference/api.md", "reference/api.ko.md"])
def test_api_reference_shows_no_private_module_and_no_content(page: str) -> None:
    targets = re.findall(r"^::: (\S+)", (ROOT / "docs" / page).read_text(), flags=re.M)
    assert "minigd.schedule" in targets
    assert not [t for t in targets if any(part.startswith("_") for part in t.split("."))]
    assert not [t for t in targets if t.startswith(("minigd.content", "minigd.qa", "minigd.demo"))]


@pytest.mark.parametrize(
    "module", ["frameworks", "display", "exposures", "batching", "plot", "counting", "cli"]
)
def test_modules_handed_a_schedule_read_only_its_public_members(module: str) -> None:
    source = (ROOT / "src" / "minigd" / f"{module}.py").read_text()
    assert re.findall(r"\b(?:s|schedule|sched|back|probe)\._[a-z]\w*", source) == []
