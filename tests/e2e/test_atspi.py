"""The screen-reader path, end to end: the real ``reader`` under Xvfb, read through AT-SPI.

A private X server, D-Bus session and accessibility bus are started for the test; the program
runs with the xcb platform and Qt's AT-SPI bridge on. A separate process under Debian's
/usr/bin/python3 (the only Python with pyatspi) finds "Times New Roman" and "Large" in the
accessibility tree as radio buttons, activates them as a screen reader would, and reads the
article's text. The program is then quit and started again, and both choices must still be the
checked ones.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from reader.core.places import default_config_dir

HERE = Path(__file__).parent
DRIVER = HERE / "atspi_driver.py"
ARTICLE = HERE / "article.html"
SYSTEM_PYTHON = Path("/usr/bin/python3")
BUS_LAUNCHERS = (
    Path("/usr/libexec/at-spi-bus-launcher"),
    Path("/usr/lib/at-spi2-core/at-spi-bus-launcher"),
)
SCREEN = "1280x1024x24"
SHOT_COPY = Path("/tmp/e2e-shot.png")
START_TIMEOUT = 30.0
CHOICES = ("Times New Roman", "Large")
OTHERS = ("Arial", "Standard", "Medium")
SENTENCE = "rehearse under the great lens"  # in tests/e2e/article.html

pytestmark = pytest.mark.slow


def _missing_tools() -> list[str]:
    """The pieces this test needs that are not installed, named as a person would fix them."""
    missing = [
        f"{tool} (Debian package {package})"
        for tool, package in (
            ("Xvfb", "xvfb"),
            ("dbus-daemon", "dbus"),
            ("dbus-send", "dbus"),
            ("import", "imagemagick"),
        )
        if shutil.which(tool) is None
    ]
    if not any(path.exists() for path in BUS_LAUNCHERS):
        missing.append("at-spi-bus-launcher (Debian package at-spi2-core)")
    if not SYSTEM_PYTHON.exists():
        missing.append(f"{SYSTEM_PYTHON} (Debian package python3)")
    else:
        probe = subprocess.run(
            [str(SYSTEM_PYTHON), "-c", "import pyatspi"],
            capture_output=True,
            env=_without_python_paths(os.environ),
            check=False,
        )
        if probe.returncode != 0:
            missing.append(f"pyatspi for {SYSTEM_PYTHON} (Debian package python3-pyatspi)")
    return missing


def _without_python_paths(env: os._Environ[str] | dict[str, str]) -> dict[str, str]:
    """``env`` without variables that would point Debian's Python at the project's venv."""
    return {k: v for k, v in env.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def _poll(what: str, probe: Callable[[], Any], timeout: float = START_TIMEOUT) -> Any:
    """Call ``probe`` until it returns something truthy; fail the test after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    """End a process group started here: SIGTERM, then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Desktop:
    """A private X display, D-Bus session and accessibility bus; ``env`` reaches them."""

    logs: Path
    env: dict[str, str] = field(default_factory=dict)
    procs: list[subprocess.Popen[Any]] = field(default_factory=list)

    def spawn(self, name: str, argv: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
        """Start a process in its own group (so all it starts can be ended), logging stderr."""
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        err = (self.logs / f"{name}.log").open("ab")
        try:
            proc = subprocess.Popen(
                argv, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True, **kwargs
            )
        finally:
            err.close()
        self.procs.append(proc)
        return proc

    def start(self) -> None:
        """X server first (it picks a free display itself), then the buses."""
        read_end, write_end = os.pipe()
        try:
            self.spawn(
                "xvfb",
                ["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten", "tcp"],
                pass_fds=(write_end,),
            )
            os.close(write_end)
            write_end = -1
            display = self._read_line(read_end)
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)
        if not display.isdigit():
            pytest.fail(f"Xvfb did not report a display; see {self.logs / 'xvfb.log'}")
        bus = self.spawn(
            "dbus",
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
        )
        assert bus.stdout is not None
        address = bus.stdout.readline().decode().strip()
        bus.stdout.close()
        if not address:
            pytest.fail(f"dbus-daemon gave no address; see {self.logs / 'dbus.log'}")
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "XAUTHORITY")}
        self.env = env | {"DISPLAY": f":{display}", "DBUS_SESSION_BUS_ADDRESS": address}
        launcher = next(str(p) for p in BUS_LAUNCHERS if p.exists())
        self.spawn("at-spi-bus", [launcher, "--launch-immediately"], env=self.env)
        _poll("the accessibility bus (org.a11y.Bus)", self._a11y_bus_ready)

    @staticmethod
    def _read_line(fd: int) -> str:
        data = b""
        deadline = time.monotonic() + START_TIMEOUT
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            chunk = os.read(fd, 16)
            if not chunk:
                break
            data += chunk
        return data.decode().strip()

    def _a11y_bus_ready(self) -> bool:
        reply = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.a11y.Bus",
            ],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        return "boolean true" in reply.stdout

    def stop(self) -> None:
        """End everything started here, newest first."""
        for proc in reversed(self.procs):
            _stop(proc)

    def reader(
        self, name: str, article: Path, extra_env: dict[str, str] | None = None
    ) -> subprocess.Popen[Any]:
        """The real ``reader`` program on ``article``, on this display, with AT-SPI on."""
        command = Path(sys.executable).with_name("reader")
        argv = [str(command)] if command.exists() else [sys.executable, "-m", "reader"]
        env = self.env | {"QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
        env |= extra_env or {}
        return self.spawn(name, [*argv, str(article)], env=env)

    def driver(self, pid: int, *args: str) -> dict[str, Any]:
        """Run the AT-SPI driver against process ``pid``; its JSON report."""
        argv = [str(SYSTEM_PYTHON), str(DRIVER), "--pid", str(pid), "--timeout", "30", *args]
        done = subprocess.run(
            argv,
            env=_without_python_paths(self.env),
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        try:
            report: dict[str, Any] = json.loads(done.stdout)
        except ValueError:
            pytest.fail(f"the AT-SPI driver printed no report:\n{done.stdout}\n{done.stderr}")
        if "error" in report:
            pytest.fail(f"AT-SPI: {report['error']}\n{self.log_tail()}")
        return report

    def screenshot(self, target: Path, crop: list[int] | None = None) -> bytes:
        """The X screen as ``target`` (PNG); with ``crop`` [x, y, w, h], that region's raw RGB."""
        argv = ["import", "-display", self.env["DISPLAY"], "-window", "root"]
        if crop:
            x, y, width, height = crop
            argv += ["-crop", f"{width}x{height}+{x}+{y}", f"rgb:{target}"]
        else:
            argv.append(str(target))
        subprocess.run(argv, env=self.env, check=True, capture_output=True, timeout=60)
        return target.read_bytes()

    def log_tail(self) -> str:
        """The end of each process's log, for a failure message."""
        parts = []
        for log in sorted(self.logs.glob("*.log")):
            text = log.read_text(errors="replace").strip()
            if text:
                parts.append(f"--- {log.name}\n{text[-1500:]}")
        return "\n".join(parts)


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    """A running private desktop; everything in it is ended afterwards, pass or fail."""
    missing = _missing_tools()
    if missing:
        pytest.fail(
            "The screen-reader test needs: "
            + ", ".join(missing)
            + ". Install them with apt-get (CI does so in .ci/run)."
        )
    logs = tmp_path / "logs"
    logs.mkdir()
    session = Desktop(logs)
    try:
        session.start()
        yield session
    finally:
        session.stop()


def _saved_reading(path: Path) -> dict[str, Any]:
    """The reading choices in the settings file, or {} while it does not exist."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return dict(data.get("reading", {}))


def _quit(desktop: Desktop, app: subprocess.Popen[Any]) -> int:
    """Quit the program as the session would at logout (SIGTERM); its exit status."""
    app.send_signal(signal.SIGTERM)
    try:
        return app.wait(timeout=START_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the reader did not quit on SIGTERM\n{desktop.log_tail()}")


def _checked(report: dict[str, Any], name: str) -> bool:
    controls = report["controls"][name]
    assert len(controls) == 1, f"{len(controls)} controls named {name!r}: {controls}"
    return bool(controls[0]["checked"])


def _family(report: dict[str, Any]) -> str:
    attributes = dict(a.split(":", 1) for a in report["article"]["attributes"])
    return attributes.get("family-name", "").strip('"')


def test_screen_reader_chooses_font_and_spacing_and_they_survive_a_restart(
    desktop: Desktop, tmp_path: Path
) -> None:
    settings_file = default_config_dir() / "settings.json"  # XDG_CONFIG_HOME is the test's
    names = [*CHOICES, *OTHERS]

    app = desktop.reader("reader-1", ARTICLE)
    try:
        before = desktop.driver(app.pid, "--names", *names)
        assert before["app"] == "Accessible Reader"
        for name in names:
            controls = before["controls"][name]
            assert len(controls) == 1, f"{len(controls)} controls named {name!r}: {controls}"
            assert controls[0]["focusable"], f"{name!r} is not focusable"
            # announced as "Times New Roman, radio button": one of a group, not a check box
            assert controls[0]["role"] == "radio button", f"{name!r} is a {controls[0]['role']}"
        assert [_checked(before, n) for n in names] == [False, False, True, True, False]
        assert SENTENCE in before["article"]["text"]
        assert "Home News Sport" not in before["article"]["text"]  # the page's menu is gone
        assert _family(before) == "Arial"
        assert _saved_reading(settings_file).get("font") != "Times New Roman"
        region = before["article"]["extents"]
        pixels_before = desktop.screenshot(tmp_path / "article-before.rgb", region)

        after = desktop.driver(app.pid, "--names", *names, "--activate", *CHOICES)
        assert [_checked(after, n) for n in names] == [True, True, False, False, False]
        assert _family(after) == "Times New Roman"
        assert SENTENCE in after["article"]["text"]
        saved = _poll("the choices in the settings file", lambda: _saved_reading(settings_file))
        assert (saved["font"], saved["letter_spacing"]) == ("Times New Roman", "large")
        pixels_after = desktop.screenshot(tmp_path / "article-after.rgb", region)
        assert len(pixels_after) == len(pixels_before) > 0
        assert pixels_after != pixels_before, "the article looks the same after the change"
        desktop.screenshot(tmp_path / "chosen.png")
        assert _quit(desktop, app) == 0
    finally:
        _stop(app)

    app = desktop.reader("reader-2", ARTICLE)
    try:
        restarted = desktop.driver(app.pid, "--names", *names)
        assert [_checked(restarted, n) for n in names] == [True, True, False, False, False]
        assert _family(restarted) == "Times New Roman"
        assert SENTENCE in restarted["article"]["text"]
        shot = tmp_path / "restarted.png"
        desktop.screenshot(shot)
        shutil.copyfile(shot, SHOT_COPY)
        assert _quit(desktop, app) == 0
    finally:
        _stop(app)
    saved = _saved_reading(settings_file)
    assert (saved["font"], saved["letter_spacing"]) == ("Times New Roman", "large")


def test_a_screen_reader_user_starts_reading_aloud(desktop: Desktop) -> None:
    """ "Read aloud" is found by its name, announced as a toggle, and pressed through AT-SPI's
    action it starts reading (Qt's mock engine: no sound, as a real engine has none here)."""
    app = desktop.reader("reader-aloud", ARTICLE, {"READER_SPEECH_ENGINE": "mock"})
    try:
        before = desktop.driver(app.pid, "--names", "Read aloud")
        (button,) = before["controls"]["Read aloud"]
        assert button["focusable"]
        # a two-state control, as "Show pictures" is: "Read aloud, check box, not checked"
        assert button["role"] in ("check box", "toggle button")
        assert not button["checked"]
        # the driver waits until the button is checked: reading has started
        after = desktop.driver(app.pid, "--names", "Read aloud", "--activate", "Read aloud")
        assert after["controls"]["Read aloud"][0]["checked"]
        assert _quit(desktop, app) == 0
    finally:
        _stop(app)


def _xdotool(desktop: Desktop, *args: str) -> str:
    """Run xdotool on the test's display; what it printed."""
    done = subprocess.run(
        ["xdotool", *args], env=desktop.env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"xdotool {' '.join(args)}: {done.stderr}"
    return done.stdout


@pytest.mark.parametrize(
    ("keys", "size"),
    [
        # Ctrl and "+" as typed on a US keyboard (Shift and =): this once matched two of the
        # action's shortcuts, which Qt treats as ambiguous and ignores; then the keypad's +,
        # then Ctrl and "=", and Ctrl and "-" back down
        (["ctrl+shift+equal"], 125),
        (["ctrl+KP_Add"], 125),
        (["ctrl+equal", "ctrl+equal"], 150),
        (["ctrl+equal", "ctrl+equal", "ctrl+minus"], 125),
    ],
)
def test_the_size_keys_work_as_typed_on_a_real_keyboard(
    desktop: Desktop, keys: list[str], size: int
) -> None:
    if shutil.which("xdotool") is None:
        pytest.fail("This test needs xdotool (Debian package xdotool); CI installs it in .ci/run.")
    settings_file = default_config_dir() / "settings.json"
    app = desktop.reader("reader-keys", ARTICLE)
    try:
        window = _xdotool(
            desktop, "search", "--sync", "--onlyvisible", "--name", "Accessible Reader"
        ).split()[0]
        _xdotool(desktop, "windowfocus", "--sync", window)
        for key in keys:
            _xdotool(desktop, "key", "--window", window, key)
            time.sleep(0.2)  # one step each: the settings file is written as each one lands
        saved = _poll(
            f"font size {size}% after {' '.join(keys)}",
            lambda: _saved_reading(settings_file).get("font_size") == size,
            timeout=10,
        )
        assert saved
        assert _quit(desktop, app) == 0
    finally:
        _stop(app)
