"""Render deploy/nginx.conf for a set of loopback Streamlit ports.

python deploy/render_nginx.py --run-dir /tmp/x --listen 8580 --backends 8551,8552 > nginx.conf
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
MIME_TYPES = "/etc/nginx/mime.types"


def render(
    run_dir: str,
    listen_port: int,
    backend_ports: list[int],
    mime_types: str = MIME_TYPES,
    template: str | None = None,
) -> str:
    """The nginx.conf text; raises ValueError if a placeholder is left unfilled."""
    if not backend_ports:
        raise ValueError("at least one backend port is needed")
    text = template if template is not None else TEMPLATE.read_text()
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in backend_ports
    )
    values = {
        "RUN_DIR": run_dir,
        "LISTEN_PORT": str(listen_port),
        "UPSTREAM_SERVERS": servers,
        # Debian's file; without it, nginx serves Streamlit's JS as octet-stream.
        "MIME_TYPES": mime_types if Path(mime_types).exists() else "mime.types",
    }
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    if left := re.findall(r"@@[A-Z_]+@@", text):
        raise ValueError(f"unfilled placeholders in nginx.conf: {sorted(set(left))}")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", required=True, help="nginx prefix: pid, logs, temp dirs")
    parser.add_argument("--listen", type=int, required=True, help="port nginx listens on")
    parser.add_argument("--backends", required=True, help="Streamlit ports, comma-separated")
    args = parser.parse_args()
    ports = [int(p) for p in args.backends.split(",") if p.strip()]
    print(render(args.run_dir, args.listen, ports), end="")


if __name__ == "__main__":
    main()
