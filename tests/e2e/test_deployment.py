"""Deployment files hold their essentials (parsed, not built: there is no Docker engine here)."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from fnmatch import fnmatch

from .conftest import ROOT

# What the image must contain for `streamlit run streamlit_app.py` to work.
RUNTIME_PATHS = ["requirements.txt", "streamlit_app.py", "xent", "pages", ".streamlit"]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def arguments_of(instruction: str) -> list[str]:
    return [args for name, args in dockerfile_instructions() if name == instruction]


def test_dockerfile_starts_from_slim_python_311() -> None:
    assert dockerfile_instructions()[0] == ("FROM", "python:3.11-slim")


def test_dockerfile_installs_the_pinned_requirements() -> None:
    runs = " ".join(arguments_of("RUN"))
    assert "pip install -r requirements.txt" in runs
    assert "requirements.txt" in " ".join(arguments_of("COPY"))


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = arguments_of("USER")
    assert users, "no USER instruction: the container would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    # The user is switched to after the last RUN (which may need root) and before CMD.
    names = [name for name, _ in dockerfile_instructions()]
    last_user = len(names) - 1 - names[::-1].index("USER")
    assert "RUN" not in names[last_user:]
    assert names.index("CMD") > last_user


def test_dockerfile_healthcheck_asks_streamlit_health_endpoint_with_python() -> None:
    (healthcheck,) = arguments_of("HEALTHCHECK")
    assert "/_stcore/health" in healthcheck
    for tool in ("curl", "wget"):
        assert tool not in healthcheck, f"python:3.11-slim has no {tool}"
    command = json.loads(healthcheck[healthcheck.index("CMD") + 3 :].strip())
    assert command[:2] == ["python", "-c"]
    ast.parse(command[2])  # the one-liner is valid Python
    assert "8501" in command[2]


def test_dockerfile_exposes_and_serves_8501() -> None:
    assert arguments_of("EXPOSE") == ["8501"]
    (cmd,) = arguments_of("CMD")
    argv = json.loads(cmd)
    assert argv[:3] == ["streamlit", "run", "streamlit_app.py"]
    assert "--server.port=8501" in argv
    assert "--server.address=0.0.0.0" in argv


def test_dockerignore_keeps_the_runtime_files() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in RUNTIME_PATHS:
        excluded = [p for p in patterns if not p.startswith("!") and fnmatch(path, p.strip("/"))]
        assert not excluded, f"{path} is excluded from the image by {excluded}"
    for path in [".git", ".venv", "tests", "artifacts"]:
        assert any(fnmatch(path, p.strip("/")) for p in patterns), f"{path} should be ignored"


def test_streamlit_config_is_classroom_safe() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    # "none": students get a generic message; type, message and traceback go to the console only.
    assert config["client"]["showErrorDetails"] == "none"
    theme = config["theme"]
    assert theme["light"]["primaryColor"]
    assert theme["dark"]["primaryColor"]


def _flatten(table: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, f"{name}.")
        else:
            flat[name] = value
    return flat


def test_streamlit_knows_every_option_in_the_config(monkeypatch) -> None:
    """Every option in config.toml is one Streamlit 1.67 knows, and it reads back as written."""
    from streamlit import config

    monkeypatch.chdir(ROOT)  # Streamlit reads ./.streamlit/config.toml from the working directory
    options = config.get_config_options(force_reparse=True)
    written = _flatten(tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()))
    unknown = sorted(set(written) - set(options))
    assert not unknown, f"options Streamlit does not know: {unknown}"
    for name, value in written.items():
        assert config.get_option(name) == value, name
