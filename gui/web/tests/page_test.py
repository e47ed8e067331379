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
             scenario running, and the download size (prints them, and where
             a frame's time goes)
  files      Your files > Open with the mouse opens the browser's file picker;
             a scenario and its guest source picked there open (the bundled
             guests it names come from the bundle); a bad scenario picked
             there shows the desktop's message (the CLI's, given as RINGSIM);
             Download this scenario downloads it byte for byte
  settings   a setting changed with a key (presentation mode) is still set
             after the page is loaded again (IndexedDB)
  hidpi      at a device pixel ratio of 2 the canvas holds twice the pixels
             each way, the panels stand where they do at 1, and a click at a
             menu's CSS place opens it
  presentation  1920x1080 in presentation mode: the stage fills most of the
             page, drawn, and its text large (a screenshot to look at)

Usage: page_test.py CASE CHROMIUM BUILD_WEB_DIR OUT_DIR [RINGSIM]
"""
import functools
import http.server
import json
import os
import re
import shutil
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
        self.events = []  # DevTools events, in order, until taken by wait_event

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if "method" in reply:
                self.events.append(reply)
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

    def open(self, url, width=1280, height=800, scale=1):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": scale,
                                                         "mobile": False})
        self.send("Page.enable")
        self.send("Page.navigate", {"url": url})

    def wait_event(self, method, what):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for i, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(i)["params"]
            self.evaluate("0")  # a round trip: events that arrived meanwhile are collected
            time.sleep(0.1)
        fail("timed out waiting for " + what)

    def frames_pass(self, count):
        """Waits until `count` more frames are drawn (ImGui samples input once a frame)."""
        frames = self.evaluate("window.ringsimFrames")
        self.wait_for("window.ringsimFrames >= %d" % (frames + count), "%d frames" % count)

    def click(self, x, y):
        """A left click at CSS pixel x, y, with a frame or two between moving, pressing and releasing."""
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        self.frames_pass(2)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
            self.frames_pass(2)

    def evaluate(self, expression, wait_promise=False):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": wait_promise})
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


def printed(browser, request):
    """The lines the program prints when the page asks for `request` (up to its "REQUEST-end")."""
    before = browser.evaluate("window.ringsimOut.length")
    browser.evaluate("window.ringsimRequests['%s'] = true" % request)
    browser.wait_for("window.ringsimOut.slice(%d).includes('%s-end')" % (before, request), "the program's " + request)
    lines = browser.evaluate("window.ringsimOut.slice(%d)" % before)
    return lines[:lines.index(request + "-end")]


def places_in(lines, kind):
    """"KIND X Y W H name" lines: name -> (x, y, w, h) in CSS pixels."""
    found = {}
    for line in lines:
        parts = line.split(" ", 5)
        if parts[0] == kind and len(parts) == 6:
            found[parts[5]] = tuple(int(v) for v in parts[1:5])
    return found


def panels(browser):
    """Where each panel is, as the program prints it (--print-panels' lines)."""
    return places_in(printed(browser, "panels"), "panel")


def layout_name(browser):
    return printed(browser, "panels")[0].split(" ", 1)[1]


def click_middle(browser, place):
    x, y, w, h = place
    browser.click(x + w // 2, y + h // 2)


def choose(browser, item):
    """Your files > ITEM, with the mouse, where the program says the menu and the item are."""
    click_middle(browser, places_in(printed(browser, "menus"), "menu")["Your files"])
    items = places_in(printed(browser, "menus"), "menu")
    if item not in items:
        fail("Your files did not open: no %s among %s" % (item, ", ".join(sorted(items))))
    click_middle(browser, items[item])


def stage_place(places):
    stage = [name for name in places if name.split("#")[0].strip() == "Stage"]
    if not stage:
        fail("no Stage panel among " + ", ".join(sorted(places)))
    return places[stage[0]]


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
    check_stage_drawn(browser, stage_place(panels(browser)), os.path.join(out, "web-deep-link.png"))


def check_stage_drawn(browser, stage, picture, scale=1):
    """A screenshot that is not blank, with the Stage panel (CSS place `stage`) drawn in."""
    png = decode_png(browser.screenshot(picture))
    everything = colours_in(png, 0, 0, png[0], png[1])
    if len(everything) < 50:
        fail("the page looks blank: %d colours" % len(everything))
    x, y, w, h = (v * scale for v in stage)
    print("stage panel at %d,%d size %dx%d (device pixels)" % (x, y, w, h))
    inside = colours_in(png, x + 4, y + 30 * scale, w - 8, h - 34 * scale)
    background = max(inside.values()) if inside else 0
    drawn = sum(inside.values()) - background
    if len(inside) < 20 or drawn < 0.03 * sum(inside.values()):
        fail("the Stage panel's area is nearly empty: %d colours, %d of %d pixels drawn" %
             (len(inside), drawn, sum(inside.values())))
    print("ok: %d colours on the page, %d in the stage, %d%% of its pixels drawn" %
          (len(everything), len(inside), 100 * drawn // max(1, sum(inside.values()))))
    return png


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
    parts = browser.evaluate("window.ringsimFrameParts.slice(%d)" % start)
    browser.screenshot(os.path.join(out, "web-measure.png"))
    print("first frame %.0f ms after loading; median frame %.2f ms of work, %.2f ms from frame to frame, over %d "
          "frames (running); download %.2f MB" % (first, statistics.median(times), statistics.median(gaps), len(times),
                                                 size / 1e6))
    print("slowest frame %.1f ms of work, %.1f ms from frame to frame" % (max(times), max(gaps)))
    for i, name in enumerate(("simulation", "comparison", "drawing", "rendering")):
        column = [p[i] for p in parts]
        print("  %-10s median %6.2f ms, most %7.1f ms" % (name, statistics.median(column), max(column)))
    if size >= 8e6:
        fail("the download is %.2f MB, over 8 MB" % (size / 1e6))


MY_LESSON = """title: "My own lesson: a greeting of my own"
summary: A scenario written beside the bundled ones, with a program of its own.
machine:
  preset: modern
guests:
  kernel: guests/kernel.s
  programs: [guests/greeting.s]
modes: [native, trap-emulate]
default_mode: native
"""


def case_files(browser, server, out, ringsim):
    picked = os.path.join(out, "picked")
    downloads = os.path.join(out, "downloads")
    for folder in (picked, downloads):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
    lesson = os.path.join(picked, "my-lesson.yaml")
    with open(lesson, "w") as f:
        f.write(MY_LESSON)
    # The user's program: the bundled hello.s, greeting in its own words (its .include files come from the bundle).
    bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scenarios")
    with open(os.path.join(bundled, "guests", "hello.s")) as f:
        hello = f.read()
    with open(os.path.join(picked, "greeting.s"), "w") as f:
        f.write(hello.replace('"hello from pid "', '"greetings from my own program, pid "'))
    bad = os.path.join(picked, "bad.yaml")
    with open(bad, "w") as f:
        f.write(MY_LESSON.replace("preset: modern", "preset: warp-drive"))  # refused before any guest is looked for

    browser.open(server.url())
    browser.wait_for("window.ringsimFrames >= 3", "the first frames")
    browser.send("Page.setInterceptFileChooserDialog", {"enabled": True})
    browser.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads}, session=False)

    choose(browser, "Open")
    chooser = browser.wait_event("Page.fileChooserOpened", "the browser's file picker")
    browser.send("DOM.setFileInputFiles", {"files": [lesson, os.path.join(picked, "greeting.s")],
                                           "backendNodeId": chooser["backendNodeId"]})
    browser.wait_for("document.title.startsWith('ringsim: my-lesson')", "the picked scenario to open")
    if browser.evaluate("window.ringsimNoteText"):
        fail("the picked scenario was complained about: " + browser.evaluate("window.ringsimNoteText"))
    browser.key(" ")  # run it to its end: the picked program and the bundled kernel assembled and ran
    browser.wait_for("/ running 0 /.test(window.ringsimState) && !/ cycle 0 /.test(window.ringsimState)",
                     "the picked scenario's run to end")
    print("opened: %s; %s" % (browser.evaluate("document.title"), state(browser)))
    browser.screenshot(os.path.join(out, "web-files-opened.png"))

    choose(browser, "Download scenario")
    saved = os.path.join(downloads, "my-lesson.yaml")
    deadline = time.monotonic() + TIMEOUT
    while not (os.path.exists(saved) and open(saved).read() == MY_LESSON):
        if time.monotonic() > deadline:
            fail("Download this scenario did not download my-lesson.yaml as picked: " + str(os.listdir(downloads)))
        time.sleep(0.1)
    print("downloaded: " + saved)

    # The message the desktop gives for the same file (the CLI's loader message, the same words).
    cli = subprocess.run([ringsim, "check", "bad.yaml"], cwd=picked, capture_output=True, text=True)
    expected = (cli.stderr.strip().splitlines() or [""])[-1]
    expected = expected[len("ringsim: "):] if expected.startswith("ringsim: ") else expected
    if cli.returncode == 0 or "warp-drive" not in expected:
        fail("the CLI does not refuse bad.yaml as expected: " + cli.stderr)
    choose(browser, "Open")
    chooser = browser.wait_event("Page.fileChooserOpened", "the browser's file picker")
    browser.send("DOM.setFileInputFiles", {"files": [bad], "backendNodeId": chooser["backendNodeId"]})
    note = browser.wait_for("window.ringsimNoteText", "the message about bad.yaml")
    print("note: " + note)
    # The page names the file where it put it (/picked/N/bad.yaml); the CLI was given bad.yaml.
    if expected not in re.sub(r"/picked/\d+/", "", note):
        fail("the page's message is not the desktop's: expected " + expected)
    if not browser.evaluate("document.title.startsWith('ringsim: my-lesson')"):
        fail("the lesson open before the bad file did not stay open: " + browser.evaluate("document.title"))
    browser.screenshot(os.path.join(out, "web-files-bad.png"))
    print("ok: picked files open, download works, a bad file gets the desktop's message")


# The settings as IndexedDB holds them (Emscripten's IDBFS: database /settings, store FILE_DATA).
STORED_SETTINGS = """new Promise(resolve => {
  const open = indexedDB.open('/settings');
  open.onerror = () => resolve('');
  open.onsuccess = () => {
    try {
      const get = open.result.transaction('FILE_DATA').objectStore('FILE_DATA').get('/settings/gui.json');
      get.onsuccess = () => resolve(get.result ? new TextDecoder().decode(get.result.contents) : '');
      get.onerror = () => resolve('');
    } catch (e) { resolve(''); }
  };
})"""


def case_settings(browser, server, out):
    browser.open(server.url())
    browser.wait_for("window.ringsimFrames >= 3", "the first frames")
    if layout_name(browser) == "presentation":
        fail("a fresh profile starts in presentation mode")
    browser.key("p")
    deadline = time.monotonic() + TIMEOUT
    while '"presentation": true' not in (browser.evaluate(STORED_SETTINGS, wait_promise=True) or "").replace(
            '"presentation":true', '"presentation": true'):
        if time.monotonic() > deadline:
            fail("presentation mode never reached IndexedDB: " + str(browser.evaluate(STORED_SETTINGS, wait_promise=True)))
        time.sleep(0.2)
    browser.send("Page.reload")
    browser.wait_for("window.ringsimFrames >= 3", "the first frames after loading again")
    if layout_name(browser) != "presentation":
        fail("presentation mode was not kept: the layout is " + layout_name(browser))
    print("ok: presentation mode kept in IndexedDB across a reload")


def case_hidpi(browser, server, out):
    browser.open(server.url(), 1280, 800, 2)
    browser.wait_for("window.ringsimFrames >= 3 && document.getElementById('canvas').width == 2560",
                     "the canvas at 2560 device pixels")
    size = browser.evaluate("[document.getElementById('canvas').width, document.getElementById('canvas').height,"
                            " document.getElementById('canvas').getBoundingClientRect().width]")
    print("canvas %dx%d device pixels, %d CSS pixels wide" % tuple(size))
    if size[:2] != [2560, 1600] or size[2] != 1280:
        fail("the canvas is not 2560x1600 device pixels shown at 1280 CSS pixels: " + str(size))
    places = panels(browser)
    stage = stage_place(places)
    if stage[0] + stage[2] > 1280 or stage[1] + stage[3] > 800 or stage[2] < 200:
        fail("the panels are not placed in CSS pixels: the stage is at " + str(stage))
    choose(browser, "Open")  # a click at CSS places reaches the menu and its item (the picker opens: not followed)
    browser.frames_pass(3)
    png = check_stage_drawn(browser, stage, os.path.join(out, "web-hidpi.png"), 2)
    if png[0] != 2560:
        fail("the screenshot is %d pixels wide, not 2560" % png[0])


def case_presentation(browser, server, out):
    browser.open(server.url("?scenario=02-trap-emulate-flaw&mode=trap-emulate&stop=3"), 1920, 1080)
    browser.wait_for("window.ringsimFrames >= 3", "the first frames")
    browser.key("p")
    deadline = time.monotonic() + TIMEOUT
    while layout_name(browser) != "presentation":
        if time.monotonic() > deadline:
            fail("P did not switch to presentation mode")
    browser.frames_pass(3)
    stage = stage_place(panels(browser))
    share = stage[2] * stage[3] / (1920.0 * 1080.0)
    print("presentation: stage %s, %.0f%% of the page" % (stage, 100 * share))
    if share < 0.35:
        fail("the stage takes %.0f%% of the page in presentation mode" % (100 * share))
    check_stage_drawn(browser, stage, os.path.join(out, "web-presentation-1920x1080.png"))


def main():
    if len(sys.argv) not in (5, 6):
        print(__doc__)
        sys.exit(2)
    case, chromium, folder, out = sys.argv[1:5]
    ringsim = os.path.abspath(sys.argv[5]) if len(sys.argv) == 6 else None
    if case == "files" and not ringsim:
        fail("the files case needs the desktop's ringsim (its messages are the ones to match)")
    if not os.path.exists(os.path.join(folder, "index.html")):
        fail("no " + os.path.join(folder, "index.html") + ": build the web edition (tools/setup.sh web)")
    os.makedirs(out, exist_ok=True)
    server = Server(folder)
    flags = ["--disable-webgl", "--disable-3d-apis"] if case == "no-webgl" else []
    with tempfile.TemporaryDirectory(prefix="ringsim-web-test-") as profile:
        browser = Browser(chromium, profile, flags)
        try:
            if case == "files":
                case_files(browser, server, out, ringsim)
            else:
                {"deep-link": case_deep_link, "bad-link": case_bad_link, "no-webgl": case_no_webgl,
                 "measure": case_measure, "settings": case_settings, "hidpi": case_hidpi,
                 "presentation": case_presentation}[case](browser, server, out)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
