"""Reads and drives the reader window through AT-SPI, the way a screen reader does.

Runs under Debian's /usr/bin/python3 (python3-pyatspi exists only there), started by
tests/e2e/test_atspi.py with the private D-Bus session and X display of the test. It prints
one JSON object on stdout and exits 0; anything it cannot do is a JSON "error" and exit 1.

    atspi_driver.py --pid PID --names "Times New Roman" Large [--activate NAME ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import pyatspi  # type: ignore[import-not-found]

ARTICLE_NAME = "Article"
POLL_S = 0.2


class DriverError(Exception):
    """Something the screen-reader path could not do, said in one sentence."""


def wait_for(what: str, timeout: float, probe: Any) -> Any:
    """Call ``probe`` until it returns something truthy; DriverError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = probe()
        except Exception:  # the tree changes under us while the window is built
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise DriverError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(POLL_S)


def find_app(pid: int) -> Any:
    """The desktop's application whose process is ``pid``."""
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def walk(node: Any, out: list[Any] | None = None) -> list[Any]:
    """Every accessible under ``node``, depth first."""
    out = [] if out is None else out
    out.append(node)
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, out)
    return out


def describe(node: Any) -> dict[str, Any]:
    """Role, states and actions of a control."""
    states = node.getState()
    try:
        action = node.queryAction()
        actions = [action.getName(i) for i in range(action.nActions)]
    except NotImplementedError:
        actions = []
    return {
        "role": node.getRoleName(),
        "checked": states.contains(pyatspi.STATE_CHECKED),
        "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
        "actions": actions,
    }


def named(nodes: list[Any], name: str) -> list[Any]:
    """The nodes whose accessible name is exactly ``name``."""
    return [n for n in nodes if n.name == name]


def activate(node: Any) -> str:
    """Run the control's toggle or press action, as Orca does on Space/Enter; its name."""
    action = node.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    for wanted in ("Toggle", "toggle", "Press", "press", "click"):
        if wanted in names:
            index = names.index(wanted)
            break
    else:
        if not names:
            raise DriverError(f"{node.name!r} offers no action")
        index = 0
    if not action.doAction(index):
        raise DriverError(f"{node.name!r} refused its {names[index]!r} action")
    return str(names[index])


def article_info(nodes: list[Any]) -> dict[str, Any]:
    """The article view's text as a screen reader reads it, and where it is on screen."""
    views = named(nodes, ARTICLE_NAME)
    if len(views) != 1:
        raise DriverError(f"expected one node named {ARTICLE_NAME!r}, found {len(views)}")
    view = views[0]
    text = view.queryText()
    extents = view.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    attributes = text.getAttributeRun(0, False)[0] if text.characterCount else []
    return {
        "role": view.getRoleName(),
        "text": text.getText(0, min(text.characterCount, 5000)),
        "characters": text.characterCount,
        "extents": [extents.x, extents.y, extents.width, extents.height],
        "attributes": sorted(attributes),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Find the app and the controls, activate those asked for, report what is exposed."""
    app = wait_for(
        f"the application of process {args.pid}", args.timeout, lambda: find_app(args.pid)
    )
    wanted = [*args.names, ARTICLE_NAME]

    def all_there() -> list[Any] | None:
        nodes = walk(app)
        return nodes if all(named(nodes, w) for w in wanted) else None

    nodes = wait_for(f"controls named {wanted}", args.timeout, all_there)
    report: dict[str, Any] = {"app": app.name, "activated": {}}
    for name in args.activate:
        hits = named(nodes, name)
        if len(hits) != 1:
            raise DriverError(f"expected one control named {name!r}, found {len(hits)}")
        report["activated"][name] = activate(hits[0])
        wait_for(
            f"{name!r} to become checked",
            args.timeout,
            lambda node=hits[0]: node.getState().contains(pyatspi.STATE_CHECKED),
        )
    nodes = walk(app)
    report["controls"] = {name: [describe(n) for n in named(nodes, name)] for name in args.names}
    report["article"] = article_info(nodes)
    return report


def main() -> int:
    """Parse the arguments, run, print the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pid", type=int, required=True, help="process id of the reader")
    parser.add_argument("--names", nargs="+", required=True, help="controls to report")
    parser.add_argument("--activate", nargs="*", default=[], help="controls to activate")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    try:
        report = run(args)
    except DriverError as exc:
        print(json.dumps({"error": str(exc)}))
        return 1
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
