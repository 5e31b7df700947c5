#!/usr/bin/env python3
"""Trunk post-build hook: writes the page's Content-Security-Policy.

The policy allows nothing but the page's own files: scripts by hash (Trunk's inline module
loader) plus 'self', wasm compilation, styles from the stylesheet and the trust map's own
<style> (by hash), and fetches to 'self' for the .wasm. No other origin is reachable, so the
page can make no request outside its own files even if a bug let text become markup.
"""
import base64
import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def svg_style() -> str:
    source = (ROOT / "engine/src/graph/svg.rs").read_text()
    match = re.search(r'const STYLE: &str = "(.*?)";', source, re.S)
    if not match:
        sys.exit("csp.py: STYLE constant not found in engine/src/graph/svg.rs")
    return match.group(1)


def main() -> None:
    staging = Path(os.environ.get("TRUNK_STAGING_DIR") or sys.argv[1])
    page = staging / "index.html"
    html = page.read_text()
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self' 'wasm-unsafe-eval' " + " ".join(sha256(s) for s in scripts),
            "style-src 'self' " + sha256(svg_style()),
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    if "__CSP__" not in html:
        sys.exit("csp.py: no __CSP__ placeholder in index.html")
    page.write_text(html.replace("__CSP__", policy))


if __name__ == "__main__":
    main()
