"""What the browser scripts share: Debian's headless Chromium through chromedriver, and a blank page on a port of
their own to stand for an integrator's page on another origin."""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium(script_timeout, extra_arguments=(), console_log=False):
    """A headless Chromium; with console_log, its console messages are kept for browser.get_log("browser")."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", *extra_arguments):
        options.add_argument(argument)
    if console_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_script_timeout(script_timeout)
    return browser


class BlankPage(BaseHTTPRequestHandler):
    def do_GET(self):
        # The data: icon keeps the browser from asking for /favicon.ico (a 404 in the console).
        body = b'<!doctype html><title>integrator page</title><link rel="icon" href="data:,">'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


def serve_blank_page(port):
    """Serves BlankPage on 127.0.0.1:port from a thread; the caller shuts the server down."""
    pages = ThreadingHTTPServer(("127.0.0.1", port), BlankPage)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    return pages


def console_errors(browser):
    """The browser console's errors (level SEVERE) since the last call, as {source, message}."""
    return [{"source": entry.get("source"), "message": entry["message"]}
            for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def report(main):
    """Runs main(), prints the JSON object it returns and exits 0; on any exception prints one line naming the script
    on standard error (not a traceback, which would drown the caller's failure message) and exits 1."""
    try:
        results = main()
    except Exception as error:
        print(f"{os.path.basename(sys.argv[0])}: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(results))
