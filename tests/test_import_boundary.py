"""``import xent`` stays light: numpy only, no Streamlit, Altair, pandas (or scipy, a test tool).

Each check runs in a fresh interpreter, since this test session has long since imported
those packages itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("streamlit", "altair", "pandas", "scipy")

PROBE = """
import json, sys
{imports}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def loaded_top_level_modules(imports: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(imports=imports)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize(
    "imports", ["import xent", "import xent.functions", "import xent.losses", "from xent import *"]
)
def test_math_core_imports_neither_streamlit_altair_nor_pandas(imports):
    loaded = loaded_top_level_modules(imports)
    assert "xent" in loaded
    assert "numpy" in loaded
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))


def test_the_probe_would_see_a_heavy_import():
    # The check above can fail: the same probe notices pandas when it is imported.
    assert "pandas" in loaded_top_level_modules("import xent\nimport pandas")
