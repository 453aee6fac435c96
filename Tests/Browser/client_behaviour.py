#!/usr/bin/python3
"""Drives idv-bff's browser client (/client/idv-session-client.js) in headless Chromium with a stubbed fetch, and
prints what it did.

Reads the module from BASE_URL + "/client/idv-session-client.js" and serves those bytes, with a blank page, from a
loopback port of its own, so that the page imports them same-origin whatever the server's CORS allowlist. Every
case passes startIdvSession's `fetch` option a stub that answers from a script and records each call (its
Idempotency-Key, headers, body, and when it came), so retries, Retry-After, errors, expiry renewals and aborts are
exercised without the server, in about three seconds. It checks nothing itself: the caller asserts the output.

Prints one JSON object; in it a RESULT is {"outcome": "resolved" | "rejected", "calls": N, ...} with, when
resolved, "token"; when rejected, "name" (the rejection's class name, or the DOMException's name) and the
IdvSessionError fields "code", "message", "status", "requestId", "retryable", "retryAfter" (null for a
non-IdvSessionError); and "events": the detail of every contact-identity-error event the element dispatched, in
order. Keys:
  module            {"contentType"}: the served module's Content-Type
  request           the first call of a plain session: {"method", "contentType", "authorization" (the caller's
                    Authorization header passed through), "credentials", "body" (with contactId "c-1"),
                    "bodyWithoutContact" (no contactId), "keyIsUUID" (the Idempotency-Key is a v4 UUID),
                    "fallbackKeyIsUUID" (the same with crypto.randomUUID missing, as on an insecure page),
                    "keysDiffer" (two calls, two keys), "attributeOrder" (the element's attributes as set: ["env",
                    "token"]), "envAttribute", "tokenAttribute", "resolved" (the resolved value's keys and
                    values: token, expiresAt, env, requestId)}
  retry             RESULT for 429 with Retry-After: 1, then 200; plus "sameKey" (every call sent the same
                    Idempotency-Key), "statuses" (the stub's answers in order) and "waitedMs" (time between the
                    calls, as measured in the page)
  retryDefault      RESULT for 503 without Retry-After, then 200 (the 1 s default wait); with "sameKey", "waitedMs"
  retryExhausted    RESULT for 503 with Retry-After: 0 every time (maxRetries 2: three calls, then upstream_busy)
  retryNone         RESULT for the same with maxRetries: 0 (one call)
  retryTooLong      RESULT for 503 with Retry-After: 60 (beyond the 30 s cap: not retried)
  errorEvent        RESULT for 403 {"error":{"code":"origin_not_allowed",...,"requestId":"req-403"}}; plus
                    "bubbles", "composed" (the event's flags), "seenOnDocument" (a listener on document got it),
                    "eventBeforeRejection", "sameAsRejection" (event detail == the rejection's fields),
                    "tokenAttribute" (the element's token afterwards: null)
  invalidBody       RESULT for 200 {"token": 5, ...}
  htmlError         RESULT for 502 with an HTML body and X-Request-Id: req-html (invalid_response, header's id)
  networkError      RESULT for a fetch that rejects with a TypeError
  expiry            RESULT for a session expiring 1 s ahead (inside the 5 s skew) and no loaded event, then one
                    expiring in 10 minutes; plus "newKey" (the renewal sent another Idempotency-Key), "tokens"
                    (the element's token values in order) and "elementToken" (its token at the end)
  expiryAfterLoaded RESULT for an already expired session whose element fires contact-identity-loaded at once
                    (no renewal: calls 1)
  expiryBudget      RESULT for sessions that are always expired (three renewals, then a session_expired event);
                    plus "distinctKeys"
  renewalFails      RESULT for an expired session whose renewal gets 403 (an event after the promise resolved)
  abortBefore       RESULT for an already aborted signal (no call, no event)
  abortDuringWait   RESULT for an abort while waiting on Retry-After: 1 after a 503
  abortDuringFetch  RESULT for an abort while the stub's fetch is pending (it rejects with the signal's reason)
  superseded        {"first": RESULT, "second": RESULT}: a second call on the same element while the first waits
                    (the first rejects with AbortError, no event; the second resolves), "elementToken"
  badArguments      {"noElement", "noEndpoint", "badRetries"}: the rejections' names (TypeError)
  consoleErrors     the browser console's errors (level SEVERE), as strings (the stubbed answers never reach the
                    network, so Chromium logs none of their statuses)

Usage: client_behaviour.py BASE_URL
"""

import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from headless import chromium, console_errors, report

CASES = """
const {startIdvSession, IdvSessionError} = await import("/idv-session-client.js");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const inMinutes = (minutes) => new Date(Date.now() + minutes * 60_000).toISOString();
const session = (token, expiresAt = inMinutes(10)) => ({status: 200, body: {token, expiresAt, env: "stage"}});
const busy = (status, retryAfter) => ({
  status, headers: retryAfter === undefined ? {} : {"Retry-After": String(retryAfter)},
  body: {error: {code: status === 429 ? "rate_limited" : "upstream_busy", message: "Busy.", requestId: "req-busy"}},
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fetch that answers from `answers` in turn (the last one repeats) and records every call. */
function stub(answers) {
  const calls = [];
  const fetch = (input, init) => {
    const headers = new Headers(init.headers);
    const answer = answers[calls.length < answers.length ? calls.length : answers.length - 1];
    calls.push({url: String(input), at: performance.now(), key: headers.get("Idempotency-Key"), init, headers,
                status: typeof answer === "function" ? null : answer.status});
    if (typeof answer === "function") return answer(init);
    const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    return Promise.resolve(new Response(body, {
      status: answer.status,
      headers: {"Content-Type": "application/json", "X-Request-Id": "req-header", ...answer.headers},
    }));
  };
  return {fetch, calls};
}

/** Runs one startIdvSession call on a fresh element and describes what happened. */
async function run(answers, options = {}, prepare = () => {}) {
  const element = options.element ?? document.body.appendChild(document.createElement("div"));
  const events = [];
  element.addEventListener("contact-identity-error", (event) => events.push(event.detail));
  const {fetch, calls} = stub(answers);
  prepare(element, calls);
  let result;
  let eventsAtSettle;
  try {
    const value = await startIdvSession(element, {endpoint: "/idv-session", fetch, ...options.start});
    eventsAtSettle = events.length;
    result = {outcome: "resolved", token: value.token};
    options.afterResolve?.(element);
  } catch (error) {
    eventsAtSettle = events.length;
    result = {outcome: "rejected", name: error instanceof IdvSessionError ? "IdvSessionError" : error?.name};
    for (const field of ["code", "message", "status", "requestId", "retryable", "retryAfter"]) {
      result[field] = error instanceof IdvSessionError ? error[field] : null;
    }
    result.error = error;
  }
  await options.settle?.(element, calls, events);
  result.calls = calls.length;
  result.events = events;
  return {result, calls, element, events, eventsAtSettle};
}

const clean = ({result}) => { const {error, ...rest} = result; return rest; };
const sameKey = (calls) => calls.length > 0 && calls.every((call) => call.key === calls[0].key);
const until = async (condition) => { while (!condition()) await sleep(10); };
const results = {};

// What a request looks like.
{
  const order = [];
  const observe = (element) => new MutationObserver((records) => order.push(...records.map((r) => r.attributeName)))
    .observe(element, {attributes: true});
  const plain = await run([session("tok-plain")],
    {start: {contactId: "c-1", headers: {Authorization: "Bearer test-jwt"}}}, observe);
  const value = await startIdvSession(document.createElement("div"), {
    endpoint: "/idv-session", fetch: stub([session("tok-value")]).fetch});
  const second = await run([session("tok-second")]);
  let fallbackKey = null;
  Object.defineProperty(crypto, "randomUUID", {value: undefined, configurable: true});
  try {
    fallbackKey = (await run([session("tok-fallback")])).calls[0].key;
  } finally {
    delete crypto.randomUUID;
  }
  await sleep(0);  // one task turn: the MutationObserver has delivered its records
  const [call] = plain.calls;
  results.request = {
    method: call.init.method,
    contentType: call.headers.get("Content-Type"),
    authorization: call.headers.get("Authorization"),
    credentials: call.init.credentials,
    body: call.init.body,
    bodyWithoutContact: second.calls[0].init.body,
    keyIsUUID: UUID.test(call.key),
    fallbackKeyIsUUID: UUID.test(fallbackKey ?? ""),
    keysDiffer: call.key !== second.calls[0].key,
    attributeOrder: order,
    envAttribute: plain.element.getAttribute("env"),
    tokenAttribute: plain.element.getAttribute("token"),
    resolved: value,
  };
}

// Retries: 429 and 503, Retry-After honoured, the same key, bounded.
{
  const retry = await run([busy(429, 1), session("tok-retry")]);
  results.retry = {...clean(retry), sameKey: sameKey(retry.calls), statuses: retry.calls.map((call) => call.status),
                   waitedMs: Math.round(retry.calls[1].at - retry.calls[0].at)};
  const retryDefault = await run([busy(503), session("tok-default")]);
  results.retryDefault = {...clean(retryDefault), sameKey: sameKey(retryDefault.calls),
                          waitedMs: Math.round(retryDefault.calls[1].at - retryDefault.calls[0].at)};
  const exhausted = await run([busy(503, 0)]);
  results.retryExhausted = {...clean(exhausted), sameKey: sameKey(exhausted.calls)};
  results.retryNone = clean(await run([busy(503, 0)], {start: {maxRetries: 0}}));
  results.retryTooLong = clean(await run([busy(503, 60)]));
}

// The error event and the rejection.
{
  let flags = null;
  let seenOnDocument = false;
  const onDocument = () => { seenOnDocument = true; };
  document.addEventListener("contact-identity-error", onDocument);
  const forbidden = await run([{status: 403, body: {error: {code: "origin_not_allowed",
      message: "This origin may not call the API.", requestId: "req-403"}}}], {}, (element) => {
    element.addEventListener("contact-identity-error", (event) => {
      flags = {bubbles: event.bubbles, composed: event.composed};
    });
  });
  document.removeEventListener("contact-identity-error", onDocument);
  const {error} = forbidden.result;
  const detail = forbidden.events[0] ?? {};
  results.errorEvent = {
    ...clean(forbidden), ...flags, seenOnDocument,
    eventBeforeRejection: forbidden.eventsAtSettle === 1,
    sameAsRejection: error instanceof IdvSessionError
      && JSON.stringify(detail) === JSON.stringify(error.toJSON()),
    tokenAttribute: forbidden.element.getAttribute("token"),
  };
  results.invalidBody = clean(await run([{status: 200, body: {token: 5, expiresAt: inMinutes(10), env: "prod"}}]));
  results.htmlError = clean(await run([{status: 502, body: "<html>Bad gateway</html>",
                                       headers: {"Content-Type": "text/html", "X-Request-Id": "req-html"}}]));
  results.networkError = clean(await run([() => Promise.reject(new TypeError("Failed to fetch"))]));
}

// Expiry before the component loaded: a renewal with a new key; none once loaded; bounded.
{
  const tokens = [];
  const expiry = await run([session("tok-soon", new Date(Date.now() + 1000).toISOString()), session("tok-renewed")], {
    settle: async (element, calls) => { await until(() => calls.length === 2 && element.getAttribute("token") === "tok-renewed"); },
  }, (element) => new MutationObserver(() => tokens.push(element.getAttribute("token")))
    .observe(element, {attributes: true, attributeFilter: ["token"]}));
  results.expiry = {...clean(expiry), newKey: expiry.calls[0].key !== expiry.calls[1].key,
                    tokens, elementToken: expiry.element.getAttribute("token")};
  // Settling the watch so that its timer does not outlive the case.
  expiry.element.dispatchEvent(new CustomEvent("contact-identity-loaded", {bubbles: true, composed: true}));

  const expired = new Date(Date.now() - 60_000).toISOString();
  results.expiryAfterLoaded = clean(await run([session("tok-loaded", expired), session("tok-unwanted")], {
    afterResolve: (element) => element.dispatchEvent(
      new CustomEvent("contact-identity-loaded", {bubbles: true, composed: true})),
    // The client's renewal timer for an expired token is due at once (delay 0) and was armed before loaded
    // fired; timers of equal delay run in order, so after two more turns a renewal that loaded failed to cancel
    // would have called fetch. No wall-clock wait.
    settle: () => sleep(0).then(() => sleep(0)),
  }));

  const budget = await run([session("tok-expired", expired)], {
    settle: (element, calls, events) => until(() => events.length > 0),
  });
  results.expiryBudget = {...clean(budget), distinctKeys: new Set(budget.calls.map((call) => call.key)).size};

  results.renewalFails = clean(await run([session("tok-expired", expired),
      {status: 403, body: {error: {code: "origin_not_allowed", message: "No.", requestId: "req-renewal"}}}], {
    settle: (element, calls, events) => until(() => events.length > 0),
  }));
}

// Aborts: before, while waiting for a retry, while fetching. No event in any.
{
  results.abortBefore = clean(await run([session("tok-never")], {start: {signal: AbortSignal.abort()}}));
  const waiting = new AbortController();
  // Aborted once the 503 arrived: the client is then waiting out its Retry-After.
  results.abortDuringWait = clean(await run([busy(503, 1), session("tok-never")], {start: {signal: waiting.signal}},
    (element, calls) => until(() => calls.length === 1).then(() => waiting.abort())));
  const fetching = new AbortController();
  const hanging = (init) => new Promise((resolve, reject) => {
    init.signal.addEventListener("abort", () => reject(init.signal.reason), {once: true});
  });
  results.abortDuringFetch = clean(await run([hanging], {start: {signal: fetching.signal}},
    (element, calls) => until(() => calls.length === 1).then(() => fetching.abort())));
}

// A newer call on the same element takes it over.
{
  const element = document.body.appendChild(document.createElement("div"));
  let firstCalls = [];
  const firstRun = run([busy(503, 1), session("tok-a")], {element}, (element, calls) => { firstCalls = calls; });
  await until(() => firstCalls.length === 1);
  const second = await run([session("tok-b")], {element});
  const first = await firstRun;
  results.superseded = {first: clean(first), second: clean(second), elementToken: element.getAttribute("token")};
}

// Arguments that cannot work.
{
  const name = (promise) => promise.then(() => "resolved", (error) => error.name);
  results.badArguments = {
    noElement: await name(startIdvSession(null, {endpoint: "/idv-session"})),
    noEndpoint: await name(startIdvSession(document.createElement("div"), {})),
    badRetries: await name(startIdvSession(document.createElement("div"), {endpoint: "/x", maxRetries: -1})),
  };
}

done(results);
"""

# execute_async_script runs a function body: wrap the cases so that they can await, and report a crash as a result.
SCRIPT = ("const done = arguments[arguments.length - 1];"
          "(async (...args) => {" + CASES + "})(done).catch((error) => done({crash: String(error?.stack ?? error)}));")


def read_module(base_url):
    with urllib.request.urlopen(base_url + "/client/idv-session-client.js", timeout=10) as response:
        return response.read(), response.headers.get("Content-Type")


def serve(module):
    class Pages(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/idv-session-client.js":
                body, content_type = module, "text/javascript; charset=utf-8"
            else:
                body = b'<!doctype html><title>client behaviour</title><link rel="icon" href="data:,">'
                content_type = "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *arguments):
            pass

    pages = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    return pages


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: client_behaviour.py BASE_URL")
    base_url = sys.argv[1].rstrip("/")
    module, content_type = read_module(base_url)
    pages = serve(module)

    browser = chromium(script_timeout=30, console_log=True)
    try:
        browser.get(f"http://127.0.0.1:{pages.server_address[1]}/")
        results = browser.execute_async_script(SCRIPT)
        if "crash" in results:
            raise RuntimeError("the cases stopped: " + results["crash"])
        results = {"module": {"contentType": content_type}, **results}
        results["consoleErrors"] = [error["message"] for error in console_errors(browser)]
        return results
    finally:
        browser.quit()
        pages.shutdown()


if __name__ == "__main__":
    report(main)
