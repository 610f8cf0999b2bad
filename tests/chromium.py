"""Open a page in headless Chromium (Debian's, /usr/bin/chromium) and tell what it did:
the console's errors, the network requests, a PNG of the whole page and the PDF it prints.

Spoken to over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages,
each ended by a NUL byte, Chromium reading on fd 3 and writing on fd 4), so no websocket
client and no port are needed. Every start gets a fresh, empty profile folder, and the
flags that keep Chromium off the network on its own account (on a closed network it
would otherwise refuse to start some parts). One start serves several pages (`Chromium`):
each opens in a browser context of its own, which shares no cache, cookie or storage
with another's.
"""

from __future__ import annotations

import base64
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--mute-audio", "--remote-debugging-pipe")
A4_WIDTH_PX = 794                  # 210 mm at 96 px per inch
TIMEOUT_S = 90.0
QUIET_S = 0.5                      # after the print, messages are awaited this long more


# every table, figure and plot reaching past the right edge of the body's text (the width of the
# printed page's text: the body is as wide as A4 less its margins): "id-of-its-section TAG width"
OVERFLOWING_JS = """(() => {
  const body = document.body, style = getComputedStyle(body);
  const right = body.getBoundingClientRect().right - parseFloat(style.paddingRight) + 0.5;
  return Array.from(document.querySelectorAll("table, figure, svg"))
    .filter(e => e.getBoundingClientRect().right > right)
    .map(e => `${(e.closest("[id]") || {id: "-"}).id} ${e.tagName} ${Math.round(e.getBoundingClientRect().width)}`);
})()"""


class ChromiumError(RuntimeError):
    """Chromium did not start, answer or finish in time."""


@dataclass
class PageVisit:
    """What opening a page came to."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    png: bytes = b""
    pdf: bytes = b""
    overflowing: list[str] = field(default_factory=list)   # elements wider than the page's text: "id tag width"


class _Pipe:
    """The DevTools protocol over the two pipes of a started Chromium."""

    def __init__(self, process: subprocess.Popen, to_browser: int, from_browser: int) -> None:
        self.process, self.to_browser, self.from_browser = process, to_browser, from_browser
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its answer (events that come first are kept)."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive(TIMEOUT_S)
            if reply is None:
                raise ChromiumError(f"no answer to {method} within {TIMEOUT_S:.0f} s")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise ChromiumError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            event = self._receive(TIMEOUT_S)
            if event is None:
                raise ChromiumError(f"no {method} within {TIMEOUT_S:.0f} s")
            self.events.append(event)

    def drain(self, quiet_s: float) -> None:
        """Keep the events that come until none has for `quiet_s`."""
        while (event := self._receive(quiet_s)) is not None:
            self.events.append(event)

    def _receive(self, timeout_s: float) -> dict | None:
        deadline = time.monotonic() + timeout_s
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                return None
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise ChromiumError(f"chromium closed the pipe (exit {self.process.poll()})")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)


# Put the two pipe ends on fds 3 and 4 and become Chromium: a small Python in between, so that
# this (threaded) process forks with no code of its own to run in the child.
ON_FDS_3_AND_4 = ("import fcntl, os, sys\n"
                  "ends = [fcntl.fcntl(int(fd), fcntl.F_DUPFD_CLOEXEC, 10) for fd in sys.argv[1:3]]\n"
                  "os.dup2(ends[0], 3)\n"
                  "os.dup2(ends[1], 4)\n"
                  "os.execv(sys.argv[3], sys.argv[3:])\n")


def _start(profile: Path) -> _Pipe:
    commands_read, commands_write = os.pipe()
    replies_read, replies_write = os.pipe()
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"]
    process = subprocess.Popen([sys.executable, "-c", ON_FDS_3_AND_4, str(commands_read), str(replies_write),
                                *command], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, pass_fds=(commands_read, replies_write))
    os.close(commands_read)
    os.close(replies_write)
    return _Pipe(process, commands_write, replies_read)


class Chromium:
    """A headless Chromium for the pages `visit` opens, closed as the `with` block ends (a
    start and a close took a third of a visit's 3 s)."""

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="pftrainer-chromium-")
        self.pipe = _start(Path(self._profile.name))
        return self

    def __exit__(self, *exc) -> None:
        pipe = self.pipe
        try:
            pipe.call("Browser.close")
        except (ChromiumError, OSError):
            pass
        try:
            pipe.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pipe.process.kill()
            pipe.process.wait()
        os.close(pipe.to_browser)
        os.close(pipe.from_browser)
        self._profile.cleanup()

    def visit(self, page: Path) -> PageVisit:
        """Open `page` (a file) at the A4 page's width, in a browser context of its own; its
        console errors, every request it made, a PNG of all of it and its print as PDF (A4,
        as its CSS asks)."""
        context = self.pipe.call("Target.createBrowserContext")["browserContextId"]
        try:
            return _visit(self.pipe, page.resolve().as_uri(), context)
        finally:
            try:
                self.pipe.call("Target.disposeBrowserContext", {"browserContextId": context})
            except (ChromiumError, OSError):
                pass


def visit(page: Path) -> PageVisit:
    """`Chromium.visit` in a Chromium started for this page alone."""
    with Chromium() as browser:
        return browser.visit(page)


def _visit(pipe: _Pipe, url: str, context: str) -> PageVisit:
    target = pipe.call("Target.createTarget", {"url": "about:blank", "browserContextId": context})["targetId"]
    session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        pipe.call(f"{domain}.enable", session=session)
    pipe.call("Emulation.setDeviceMetricsOverride", {"width": A4_WIDTH_PX, "height": 1123, "deviceScaleFactor": 1,
                                                     "mobile": False}, session=session)
    pipe.events.clear()
    pipe.call("Page.navigate", {"url": url}, session=session)
    pipe.wait_for("Page.loadEventFired")
    height = pipe.call("Page.getLayoutMetrics", session=session)["cssContentSize"]["height"]
    png = pipe.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": {
        "x": 0, "y": 0, "width": A4_WIDTH_PX, "height": height, "scale": 1}}, session=session)["data"]
    overflowing = pipe.call("Runtime.evaluate", {"expression": OVERFLOWING_JS, "returnByValue": True},
                            session=session)["result"]["value"]
    pdf = pipe.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, session=session)["data"]
    pipe.drain(QUIET_S)
    result = PageVisit(png=base64.b64decode(png), pdf=base64.b64decode(pdf), overflowing=overflowing)
    for event in (e for e in pipe.events if e.get("sessionId") == session):
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            result.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            result.console_errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            result.console_errors.append(" ".join(str(a.get("value")) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
            result.console_errors.append(params["entry"].get("text", ""))
    return result
