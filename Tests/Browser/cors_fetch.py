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

import sys

from headless import chromium, report, serve_blank_page

FETCH = """
const [url, done] = arguments;
fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-Request-Id": "browser-test",
                                         "Idempotency-Key": crypto.randomUUID()}, body: "{}"})
  .then(async (response) => done({status: response.status, body: await response.text(),
                                  requestId: response.headers.get("X-Request-Id")}))
  .catch((error) => done({error: String(error)}));
"""



def main():
    page_port, api_url = int(sys.argv[1]), sys.argv[2]
    pages = serve_blank_page(page_port)
    browser = chromium(script_timeout=20)
    try:
        results = {}
        for name, host in (("allowed", "127.0.0.1"), ("refused", "localhost")):
            browser.get(f"http://{host}:{page_port}/")
            results[name] = browser.execute_async_script(FETCH, api_url)
        return results
    finally:
        browser.quit()
        pages.shutdown()


if __name__ == "__main__":
    report(main)
