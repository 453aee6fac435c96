#!/usr/bin/python3
"""Walks idv-bff's demo page through the whole verification flow in headless Chromium, and prints what it saw.

On BASE_URL + "/" (the demo page, with the stand-in component): presses #verify and waits for the token and the
stand-in's loaded event; presses the stand-in's Complete button; starts again and presses Close; then clicks
#verify twice in one JavaScript task. Then, from a blank page on another origin (http://127.0.0.1:SECOND_PAGE_PORT,
served by this script), imports BASE_URL + "/client/idv-session-client.js" and starts a session on an element of
its own against BASE_URL + "/idv-session". It waits on DOM state, never on time, and checks nothing itself: the
caller asserts the output.

Prints one JSON object:
  token               the element's token attribute once the first session was given to it
  env                 the element's env attribute then
  loadedStatus        the text of #status after the stand-in fired contact-identity-loaded
  thanksVisible       whether #thanks became visible after the stand-in's Complete button
  thanks              the text of #thanks then (null if it never became visible)
  restartToken        the token of the second session, started with #verify after the completed one
  retryShown          whether #retry became visible after the stand-in's Close button
  doubleClickRequests POST /idv-session requests the page sent for the two clicks
  doubleClickTokens   distinct tokens the element received for the two clicks
  states              every data-state #status took on the demo page, in order (minting, loading, loaded, ...)
  crossOrigin         what the page on the other origin got: {"token", "env", "requestId"} from the resolved
                      session, or {"code", "status", "message", "requestId", "eventCode"} from the rejection
                      (eventCode: the code of the contact-identity-error event it saw, or null), or
                      {"code": "import_failed", "message"} when the module could not be imported (CORS)
  consoleErrors       the browser console's errors (level SEVERE) on every page, [{"page": "demo" | "crossOrigin",
                      "source", "message"}]; Chromium logs every non-2xx answer too (source "network")

With --screenshot PATH, also saves a PNG of the demo page (1000×700) as soon as the first session has loaded.

Usage: demo_flow.py BASE_URL SECOND_PAGE_PORT [--screenshot PATH]
"""

import argparse
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from headless import chromium, console_errors, report, serve_blank_page

WAIT_SECONDS = 20

# Records #status's data-state changes, and the POSTs the page sends (fetch is looked up at call time by the
# client module, so wrapping it here sees every request).
INSTRUMENT = """
const status = document.getElementById("status");
window.demoStates = [status.dataset.state];
new MutationObserver(() => window.demoStates.push(status.dataset.state))
  .observe(status, {attributes: true, attributeFilter: ["data-state"]});
window.demoRequests = {sent: 0, pending: 0};
const pageFetch = window.fetch;
window.fetch = (input, init) => {
  const counted = String(input).endsWith("/idv-session");
  if (counted) { window.demoRequests.sent += 1; window.demoRequests.pending += 1; }
  const settle = () => { if (counted) window.demoRequests.pending -= 1; };
  const answer = pageFetch(input, init);
  answer.then(settle, settle);
  return answer;
};
"""

# Collects every token value set on the element from now on (the observer's oldValue chain keeps values that were
# replaced before it ran).
COUNT_TOKENS = """
const idv = document.getElementById("idv");
window.demoTokens = new Set();
window.demoRequests.sent = 0;
new MutationObserver((records) => {
  const values = records.slice(1).map((record) => record.oldValue).concat([idv.getAttribute("token")]);
  for (const value of values) if (value) window.demoTokens.add(value);
}).observe(idv, {attributes: true, attributeFilter: ["token"], attributeOldValue: true});
"""

DOUBLE_CLICK = """
const button = document.getElementById("verify");
button.click();
button.click();
"""

CROSS_ORIGIN = """
const [baseURL, done] = arguments;
import(baseURL + "/client/idv-session-client.js").then(async ({startIdvSession}) => {
  const element = document.createElement("contact-idv-session");
  document.body.append(element);
  let eventCode = null;
  element.addEventListener("contact-identity-error", (event) => { eventCode = event.detail.code; });
  try {
    const session = await startIdvSession(element, {endpoint: baseURL + "/idv-session"});
    done({token: session.token, env: session.env, requestId: session.requestId});
  } catch (error) {
    done({code: error.code ?? error.name, status: error.status ?? null, message: String(error.message),
          requestId: error.requestId ?? null, eventCode});
  }
}, (error) => done({code: "import_failed", message: String(error)}));
"""



class DemoPage:
    """The demo page in the browser: its elements and the DOM states to wait for."""

    def __init__(self, browser):
        self.browser = browser

    def element(self, element_id):
        return self.browser.find_element(By.ID, element_id)

    def wait(self, condition, what):
        """Waits until condition() is truthy; a prerequisite of the next step, so a timeout is an error."""
        try:
            return WebDriverWait(self.browser, WAIT_SECONDS).until(lambda _: condition())
        except TimeoutException:
            raise RuntimeError(f"the demo page did not reach this state within {WAIT_SECONDS} s: {what} "
                               f"(#status: {self.state()!r}, {self.element('status').text!r})") from None

    def becomes(self, condition):
        """Waits until condition() is truthy; an outcome to record, so a timeout is the answer False."""
        try:
            return bool(WebDriverWait(self.browser, WAIT_SECONDS).until(lambda _: condition()))
        except TimeoutException:
            return False

    def state(self):
        return self.element("status").get_attribute("data-state")

    def token(self):
        return self.element("idv").get_attribute("token")

    def stand_in_button(self, action):
        root = self.element("idv").shadow_root
        return root.find_element(By.CSS_SELECTOR, f"button[data-action={action}]")

    def start_and_load(self, button_id):
        self.element(button_id).click()
        self.wait(lambda: self.token(), "the element has a token")
        self.wait(lambda: self.state() == "loaded", "the stand-in fired contact-identity-loaded")


def page_errors(browser, page):
    return [{"page": page, **error} for error in console_errors(browser)]


def main():
    parser = argparse.ArgumentParser(description="Walk idv-bff's demo page through the verification flow.")
    parser.add_argument("base_url")
    parser.add_argument("second_page_port", type=int)
    parser.add_argument("--screenshot", metavar="PATH")
    arguments = parser.parse_args()
    base_url = arguments.base_url.rstrip("/")

    pages = serve_blank_page(arguments.second_page_port)
    browser = chromium(WAIT_SECONDS, extra_arguments=("--window-size=1000,700", "--hide-scrollbars"), console_log=True)
    try:
        # The window size counts the (invisible) browser frame; the screenshot is of the viewport: make it 1000×700.
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 1000, "height": 700, "deviceScaleFactor": 1, "mobile": False})
        results = {}
        page = DemoPage(browser)
        browser.get(base_url + "/")
        page.wait(lambda: page.element("verify").is_enabled(), "the page script enabled #verify")
        browser.execute_script(INSTRUMENT)

        page.start_and_load("verify")
        results["token"] = page.token()
        results["env"] = page.element("idv").get_attribute("env")
        results["loadedStatus"] = page.element("status").text
        if arguments.screenshot:
            browser.save_screenshot(arguments.screenshot)

        page.stand_in_button("complete").click()
        results["thanksVisible"] = page.becomes(lambda: page.element("thanks").is_displayed())
        results["thanks"] = page.element("thanks").text if results["thanksVisible"] else None

        page.wait(lambda: page.element("verify").is_enabled(), "#verify is enabled again after complete")
        page.start_and_load("verify")
        results["restartToken"] = page.token()
        page.stand_in_button("close").click()
        results["retryShown"] = page.becomes(lambda: page.element("retry").is_displayed())

        page.wait(lambda: page.element("verify").is_enabled(), "#verify is enabled again after close")
        browser.execute_script(COUNT_TOKENS)
        browser.execute_script(DOUBLE_CLICK)
        page.wait(lambda: page.state() in ("loaded", "error")
                  and browser.execute_script("return window.demoRequests.pending === 0"),
                  "the double click's requests are answered and the page settled")
        results["doubleClickRequests"] = browser.execute_script("return window.demoRequests.sent")
        results["doubleClickTokens"] = browser.execute_script("return window.demoTokens.size")
        results["states"] = browser.execute_script("return window.demoStates")
        errors = page_errors(browser, "demo")

        browser.get(f"http://127.0.0.1:{arguments.second_page_port}/")
        results["crossOrigin"] = browser.execute_async_script(CROSS_ORIGIN, base_url)
        errors += page_errors(browser, "crossOrigin")
        results["consoleErrors"] = errors
        return results
    finally:
        browser.quit()
        pages.shutdown()


if __name__ == "__main__":
    report(main)
