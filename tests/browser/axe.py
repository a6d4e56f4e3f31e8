"""Run axe-core on a page and fail on any violation, naming each one."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page) -> None:
    results = _axe.run(page)
    violations = results.response.get("violations", [])
    if violations:
        lines = []
        for v in violations:
            targets = ", ".join(str(node.get("target")) for node in v.get("nodes", [])[:5])
            lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} at {targets}")
        raise AssertionError(f"axe found {len(violations)} violation(s) on {page.url}:\n" + "\n".join(lines))
