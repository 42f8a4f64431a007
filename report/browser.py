"""Headless Chromium, to check a report the way a person sees it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# As root in a sandbox without network: no sandbox, and none of Chromium's own
# background traffic (its connections would only be refused).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
CONSOLE = re.compile(r"CONSOLE[^\]]*\]\s*(.*)")


@dataclass
class PageLoad:
    dom: str
    console: list[str]  # every console message the page produced (errors included)


def chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)


def _run(arguments: list[str]) -> subprocess.CompletedProcess:
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *arguments],
                              capture_output=True, text=True, timeout=120, check=False)


def load(page: Path) -> PageLoad:
    done = _run(["--enable-logging=stderr", "--v=0", "--dump-dom", page.resolve().as_uri()])
    console = [m.group(1) for m in map(CONSOLE.search, done.stderr.splitlines()) if m]
    return PageLoad(done.stdout, console)


def screenshot(page: Path, png: Path, width: int = 1300, height: int = 1600) -> Path:
    _run([f"--window-size={width},{height}", f"--screenshot={png.resolve()}",
          page.resolve().as_uri()])
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot of {page}")
    return png


class Session:
    """A page in headless Chromium driven over the DevTools protocol (on a pipe, so
    no port and no extra library): evaluate script, type keys as a user would.

        with Session(page) as tab:
            tab.type_text("#zoek", "bèta")
            tab.evaluate("document.querySelectorAll('tr:not([hidden])').length")
    """

    def __init__(self, page: Path, timeout: float = 60.0) -> None:
        self.page, self.timeout = page, timeout
        self._buffer, self._next = b"", 0

    def __enter__(self) -> Session:
        binary = chromium()
        if binary is None:
            raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
        self._profile = tempfile.TemporaryDirectory()
        commands_r, self._commands = os.pipe()
        self._replies, replies_w = os.pipe()

        def pipes_at_3_and_4() -> None:  # where --remote-debugging-pipe expects them
            os.dup2(commands_r, 3)
            os.dup2(replies_w, 4)

        self._process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self._profile.name}",
             "--remote-debugging-pipe", "about:blank"],
            preexec_fn=pipes_at_3_and_4, pass_fds=(3, 4),  # noqa: PLW1509 - no threads here
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_r)
        os.close(replies_w)
        uri = self.page.resolve().as_uri()
        target = self._send("Target.createTarget", {"url": uri})
        self._session = self._send("Target.attachToTarget", {
            "targetId": target["targetId"], "flatten": True})["sessionId"]
        # A new tab is about:blank (and "complete") until the navigation commits.
        loaded = f"location.href === {json.dumps(uri)} && document.readyState === 'complete'"
        deadline = time.monotonic() + self.timeout
        while not self.evaluate(loaded):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.page} did not finish loading")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            self._send("Browser.close", session=False)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._replies)
        self._profile.cleanup()

    def evaluate(self, expression: str):
        reply = self._send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True})
        if "exceptionDetails" in reply:
            raise RuntimeError(f"script error: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def type_text(self, selector: str, text: str) -> None:
        """Focus the element and press each character's key, as typing does."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        for char in text:
            for kind in ("keyDown", "keyUp"):
                params = {"type": kind, "key": char}
                if kind == "keyDown":
                    params["text"] = char
                self._send("Input.dispatchKeyEvent", params)

    def press(self, key: str) -> None:
        """A key without text, e.g. Backspace, on the focused element."""
        codes = {"Backspace": 8, "Enter": 13, "Delete": 46}
        for kind in ("rawKeyDown", "keyUp"):
            self._send("Input.dispatchKeyEvent", {
                "type": kind, "key": key, "code": key,
                "windowsVirtualKeyCode": codes.get(key, 0)})

    def _send(self, method: str, params: dict | None = None, session: bool = True) -> dict:
        self._next += 1
        message: dict = {"id": self._next, "method": method, "params": params or {}}
        if session and getattr(self, "_session", None):
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            while b"\0" not in self._buffer:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no reply to {method}")
                ready, _, _ = select.select([self._replies], [], [], 1.0)
                if ready:
                    chunk = os.read(self._replies, 1 << 16)
                    if not chunk:
                        raise RuntimeError("chromium closed the DevTools pipe")
                    self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
