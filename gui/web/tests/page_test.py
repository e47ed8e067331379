#!/usr/bin/env python3
"""The web edition in headless Chromium, driven through the DevTools protocol.

Serves the build folder from a local http server on a free port, opens the
page in Chromium (talking to it over --remote-debugging-pipe: the standard
library is enough), and checks one case:

  deep-link  a link to a tour stop opens there; N goes on to the next stop;
             the screenshot is not blank and the Stage panel is drawn where
             the layout puts it
  bad-link   an unknown scenario, mode and stop are named on the page and the
             default lesson opens
  no-webgl   with WebGL switched off the page says what it needs
  measure    first frame time, median frame time at 1280x800 with the default
             scenario running, and the download size (prints them)

Usage: page_test.py CASE CHROMIUM BUILD_WEB_DIR OUT_DIR
"""
import functools
import http.server
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

TIMEOUT = 180  # seconds for anything to happen: a loaded machine is slow, never a failure by itself


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


class Server:
    """The build folder over http on 127.0.0.1, a port the system picks."""

    def __init__(self, folder):
        handler = functools.partial(QuietHandler, directory=folder)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, query=""):
        return "http://127.0.0.1:%d/index.html%s" % (self.port, query)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Browser:
    """Headless Chromium; messages are JSON, each ended by a NUL byte, on fds 3 (to it) and 4 (from it)."""

    def __init__(self, chromium, profile, extra_flags=()):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # The child's fds 3 and 4 are the pipe's ends: dup them there before exec.
        def wire():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)
        flags = ["--headless", "--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--window-size=1280,800", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                 "--no-first-run", "--no-default-browser-check", "--disable-gpu-sandbox", "--mute-audio"]
        self.proc = subprocess.Popen([chromium] + flags + list(extra_flags) + ["about:blank"], preexec_fn=wire,
                                     pass_fds=(3, 4, to_child_r, from_child_w), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    fail("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                fail("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            return None
        return result.get("result", {}).get("value")

    def wait_for(self, expression, what):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        fail("timed out waiting for " + what + "; the page's state: " + str(self.evaluate("window.ringsimState")))

    def key(self, letter):
        code = ord(letter.upper())
        name = "Space" if letter == " " else "Key" + letter.upper()
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": letter.lower(), "code": name,
                                                 "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code,
                                                 "text": letter.lower() if kind == "keyDown" else ""})

    def screenshot(self, path):
        import base64
        data = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])
        with open(path, "wb") as out:
            out.write(data)
        return data

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except SystemExit:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def decode_png(data):
    """Width, height and rows of RGB(A) bytes of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                fail("unexpected PNG format (depth %d colour %d interlace %d)" % (depth, colour, interlace))
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def colours_in(png, x, y, w, h):
    width, height, channels, rows = png
    seen = {}
    for row in rows[max(y, 0):min(y + h, height)]:
        for px in range(max(x, 0), min(x + w, width), 2):
            c = tuple(row[px * channels:px * channels + 3])
            seen[c] = seen.get(c, 0) + 1
    return seen


def panels(browser):
    """Where each panel is, as the program prints it (--print-panels' lines)."""
    before = browser.evaluate("window.ringsimOut.length")
    browser.evaluate("window.ringsimRequests.panels = true")
    browser.wait_for("window.ringsimOut.slice(%d).includes('panels-end')" % before, "the panels' places")
    lines = browser.evaluate("window.ringsimOut.slice(%d)" % before)
    found = {}
    for line in lines:
        parts = line.split(" ", 5)
        if parts[0] == "panel" and len(parts) == 6:
            found[parts[5]] = tuple(int(v) for v in parts[1:5])
    return found


def state(browser):
    return browser.evaluate("window.ringsimState") or ""


def case_deep_link(browser, server, out):
    browser.open(server.url("?scenario=02-trap-emulate-flaw&mode=trap-emulate&stop=3"))
    browser.wait_for("window.ringsimFrames >= 3", "the first frames")
    line = state(browser)
    print("state at the link: " + line)
    if "mode trap-emulate " not in line or " tour-stop 3/" not in line:
        fail("the link did not open trap-emulate at tour stop 3: " + line)
    if browser.evaluate("window.ringsimNoteText"):
        fail("a good link was complained about: " + browser.evaluate("window.ringsimNoteText"))
    browser.key("n")
    browser.wait_for("window.ringsimState.includes(' tour-stop 4/')", "N to go on to tour stop 4")
    print("state after N: " + state(browser))
    browser.wait_for("window.ringsimState.includes(' busy 0')", "the run to settle")
    frames = browser.evaluate("window.ringsimFrames")
    browser.wait_for("window.ringsimFrames >= %d" % (frames + 3), "frames after the key")
    places = panels(browser)
    stage = [name for name in places if name.split("#")[0].strip() == "Stage"]
    if not stage:
        fail("no Stage panel among " + ", ".join(sorted(places)))
    png = decode_png(browser.screenshot(os.path.join(out, "web-deep-link.png")))
    everything = colours_in(png, 0, 0, png[0], png[1])
    if len(everything) < 50:
        fail("the page looks blank: %d colours" % len(everything))
    x, y, w, h = places[stage[0]]
    print("stage panel at %d,%d size %dx%d" % (x, y, w, h))
    inside = colours_in(png, x + 4, y + 30, w - 8, h - 34)
    background = max(inside.values()) if inside else 0
    drawn = sum(inside.values()) - background
    if len(inside) < 20 or drawn < 0.03 * sum(inside.values()):
        fail("the Stage panel's area is nearly empty: %d colours, %d of %d pixels drawn" %
             (len(inside), drawn, sum(inside.values())))
    print("ok: %d colours on the page, %d in the stage, %d%% of its pixels drawn" %
          (len(everything), len(inside), 100 * drawn // max(1, sum(inside.values()))))


def case_bad_link(browser, server, out):
    browser.open(server.url("?scenario=no-such-lesson&mode=warp-drive&stop=x"))
    browser.wait_for("window.ringsimFrames >= 3", "the first frames")
    note = browser.evaluate("window.ringsimNoteText") or ""
    print("note: " + note)
    for expected in ("no-such-lesson", "warp-drive", '"x"', "default lesson"):
        if expected not in note:
            fail("the page does not name " + expected)
    if "ringsim: default" not in (browser.evaluate("document.title") or ""):
        fail("the default lesson is not open: " + str(browser.evaluate("document.title")))
    browser.screenshot(os.path.join(out, "web-bad-link.png"))
    print("ok: the page names what the link asked for, and the default lesson is open")


def case_no_webgl(browser, server, out):
    browser.open(server.url())
    browser.wait_for("document.readyState === 'complete'", "the page")
    text = browser.wait_for("window.ringsimNoWebGL && document.getElementById('nowebgl').innerText", "the message")
    if "WebGL 2" not in text:
        fail("no readable message: " + text)
    png = decode_png(browser.screenshot(os.path.join(out, "web-no-webgl.png")))
    if len(colours_in(png, 0, 0, png[0], png[1])) < 3:
        fail("the page is blank")
    print("ok: " + text.splitlines()[0])


def case_measure(browser, server, out):
    folder = server.httpd.RequestHandlerClass.keywords["directory"]
    size = sum(os.path.getsize(os.path.join(folder, "index." + ext)) for ext in ("html", "js", "wasm", "data"))
    browser.open(server.url())
    browser.wait_for("window.ringsimFrames >= 1", "the first frame")
    first = browser.evaluate("window.ringsimFirstFrameMs")
    # The default scenario running: Space again whenever the run pauses at a tour stop.
    start = browser.evaluate("window.ringsimFrameMs.length")
    deadline = time.monotonic() + TIMEOUT
    while browser.evaluate("window.ringsimFrameMs.length") < start + 120:
        if " running 0" in state(browser):
            browser.key(" ")
        if time.monotonic() > deadline:
            fail("timed out measuring 120 frames")
        time.sleep(0.05)
    times = browser.evaluate("window.ringsimFrameMs.slice(%d)" % start)
    gaps = browser.evaluate("window.ringsimFrameGaps.slice(%d)" % (start + 1))
    browser.screenshot(os.path.join(out, "web-measure.png"))
    print("first frame %.0f ms after loading; median frame %.2f ms of work, %.2f ms from frame to frame, over %d "
          "frames (running); download %.2f MB" % (first, statistics.median(times), statistics.median(gaps), len(times),
                                                 size / 1e6))
    if size >= 8e6:
        fail("the download is %.2f MB, over 8 MB" % (size / 1e6))


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        sys.exit(2)
    case, chromium, folder, out = sys.argv[1:]
    if not os.path.exists(os.path.join(folder, "index.html")):
        fail("no " + os.path.join(folder, "index.html") + ": build the web edition (tools/setup.sh web)")
    os.makedirs(out, exist_ok=True)
    server = Server(folder)
    flags = ["--disable-webgl", "--disable-3d-apis"] if case == "no-webgl" else []
    with tempfile.TemporaryDirectory(prefix="ringsim-web-test-") as profile:
        browser = Browser(chromium, profile, flags)
        try:
            {"deep-link": case_deep_link, "bad-link": case_bad_link, "no-webgl": case_no_webgl,
             "measure": case_measure}[case](browser, server, out)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
