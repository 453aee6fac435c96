#!/usr/bin/python3
"""Has headless Chromium call idv-bff's POST /idv-session from two page origins, and prints what each page saw.

Serves a blank page on 127.0.0.1:PAGE_PORT and loads it twice: as http://127.0.0.1:PAGE_PORT (the origin the
test allows) and as http://localhost:PAGE_PORT (same server, another origin). Each page runs `fetch` the way an
integrator's frontend would: a JSON POST, so the browser sends a CORS preflight first and enforces the answer.

Prints one JSON object: {"allowed": RESULT, "refused": RESULT}, where RESULT is
{"status": 200, "body": "...", "requestId": "..."} when the page could read the response, or
{"error": "TypeError: Failed to fetch"} when the browser withheld it.

Usage: cors_fetch.py PAGE_PORT API_URL
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

FETCH = """
const [url, done] = arguments;
fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-Request-Id": "browser-test",
                                         "Idempotency-Key": crypto.randomUUID()}, body: "{}"})
  .then(async (response) => done({status: response.status, body: await response.text(),
                                  requestId: response.headers.get("X-Request-Id")}))
  .catch((error) => done({error: String(error)}));
"""


class BlankPage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<!doctype html><title>integrator page</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


def main():
    page_port, api_url = int(sys.argv[1]), sys.argv[2]
    pages = ThreadingHTTPServer(("127.0.0.1", page_port), BlankPage)
    threading.Thread(target=pages.serve_forever, daemon=True).start()

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_script_timeout(20)
    try:
        results = {}
        for name, host in (("allowed", "127.0.0.1"), ("refused", "localhost")):
            browser.get(f"http://{host}:{page_port}/")
            results[name] = browser.execute_async_script(FETCH, api_url)
        print(json.dumps(results))
    finally:
        browser.quit()
        pages.shutdown()


if __name__ == "__main__":
    main()
