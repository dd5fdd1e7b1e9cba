"""Server memory over many reruns with random settings: does it level off?

Starts one server, opens one WebSocket session per page that has sliders, then does
--reruns reruns back to back (no think time), round-robin over the sessions, each after
moving one random slider to a random value, so caches fill with many different settings.
Every --churn reruns the sessions are closed and new ones opened (students leave and
arrive), so that memory held per session shows up too. The server's RSS is read after
every --every reruns.

Also audits the source: every st.cache_data / st.cache_resource in pages/ and xent/ must
bound its size (max_entries, max_size_bytes) or its age (ttl).

    .venv/bin/python benchmarks/bench_memory.py [--reruns 500] [--launcher stock|tuned]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP,
    LAUNCHERS,
    ROOT,
    Server,
    markdown_table,
    print_machine,
    quiet_streamlit_logs,
    rss_kib,
)
from load import discover_pages
from stclient import Session

BOUNDS = {"max_entries", "ttl", "max_size_bytes"}


# --- static audit of the caches ----------------------------------------------------------


def _dict_keys(tree: ast.Module) -> dict[str, set[str]]:
    """Module-level NAME = {...} / dict(...) assignments: NAME -> their keys."""
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            if not isinstance(target, ast.Name):
                continue
            if isinstance(value, ast.Dict):
                found[target.id] = {k.value for k in value.keys if isinstance(k, ast.Constant)}
            elif isinstance(value, ast.Call) and getattr(value.func, "id", "") == "dict":
                found[target.id] = {kw.arg for kw in value.keywords if kw.arg}
    return found


def audit_caches(roots: list[Path]) -> list[list[str]]:
    """One row per st.cache_data / st.cache_resource: where, its bounds, a verdict."""
    rows = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            dicts = _dict_keys(tree)
            calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                elif isinstance(node, ast.Attribute) and id(node) not in calls:
                    func = node  # a bare `@st.cache_data`: no arguments, no bounds
                else:
                    continue
                kind = func.attr if isinstance(func, ast.Attribute) else ""
                if kind not in ("cache_data", "cache_resource"):
                    continue
                keys: set[str] = set()
                for kw in node.keywords if isinstance(node, ast.Call) else []:
                    if kw.arg:
                        keys.add(kw.arg)
                    elif isinstance(kw.value, ast.Name):  # **CACHE: a module-level dict
                        keys |= dicts.get(kw.value.id, set())
                bounds = sorted(keys & BOUNDS)
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                rows.append(
                    [where, kind, ", ".join(bounds) or "none", "ok" if bounds else "UNBOUNDED"]
                )
    return rows


# --- the RSS curve -------------------------------------------------------------------------


async def curve(
    base_url: str, pid: int, reruns: int, every: int, churn: int, seed: int
) -> list[list[str]]:
    rng = random.Random(seed)
    pages = await discover_pages(base_url, 60)
    rows = [["0 (pages open)", "", f"{rss_kib(pid) / 1024:.0f}", ""]]

    async def open_all() -> list[Session]:
        sessions = [Session(base_url, page, timeout=60) for page in pages]
        for s in sessions:
            await s.open()
        return sessions

    sessions = await open_all()
    rows[0][2] = f"{rss_kib(pid) / 1024:.0f}"
    errors = 0
    try:
        for i in range(1, reruns + 1):
            result = await sessions[i % len(sessions)].move_random_slider(rng)
            errors += 1 if result.errors else 0
            if i % every == 0:
                rows.append([str(i), str(errors), f"{rss_kib(pid) / 1024:.0f}", ""])
            if churn and i % churn == 0 and i < reruns:
                await asyncio.gather(*(s.close() for s in sessions))
                sessions = await open_all()
                rows[-1][3] = "sessions replaced"
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=500)
    parser.add_argument("--every", type=int, default=25, help="read RSS every N reruns")
    parser.add_argument("--churn", type=int, default=100, help="replace sessions every N")
    parser.add_argument("--launcher", choices=LAUNCHERS, default="stock")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    quiet_streamlit_logs()
    print_machine()

    print("Caches in pages/ and xent/ (st.cache_data / st.cache_resource)\n")
    audit = audit_caches([ROOT / "pages", ROOT / "xent"])
    print(markdown_table(["where", "kind", "bounds", "verdict"], audit) if audit else "none")

    server = Server(APP, launcher=args.launcher)
    server.start(timeout=120)
    try:
        rows = asyncio.run(
            asyncio.wait_for(
                curve(server.base_url, server.pid, args.reruns, args.every, args.churn, args.seed),
                timeout=1800,
            )
        )
    finally:
        server.stop()
    label = "streamlit run" if args.launcher == "stock" else "main before issue 9"
    print(f"\nServer RSS over {args.reruns} reruns with random slider values ({label})\n")
    print(markdown_table(["reruns", "reruns with an error box", "RSS MiB", ""], rows))
    values = [float(r[2]) for r in rows[1:]]
    if len(values) >= 8:
        last_third = values[-len(values) // 3 :]
        first_half = values[len(values) // 2 :]
        print(
            f"\nGrowth over the last third of the run: {last_third[-1] - last_third[0]:+.0f} MiB;"
            f" over the second half: {first_half[-1] - first_half[0]:+.0f} MiB;"
            f" peak {max(values):.0f} MiB."
        )


if __name__ == "__main__":
    main()
