// @ts-self-types="./idv-session-client.d.ts"
/**
 * idv-session-client.js: starts a ClientLoop identity verification from the browser through idv-bff.
 *
 * `startIdvSession(element, {endpoint})` mints a session with idv-bff's `POST /idv-session` and hands the token
 * to a `<contact-idv-session>` element (its `env` attribute first, then `token`). Failures arrive both as a
 * rejected promise (`IdvSessionError`) and as a `contact-identity-error` event on the element, next to the
 * vendor's own `contact-identity-*` events. No dependencies, no build step; types in idv-session-client.d.ts.
 *
 *   import {startIdvSession} from 'https://idv.example.com/client/idv-session-client.js';
 *   button.addEventListener('click', () => {
 *     startIdvSession(document.getElementById('idv'), {endpoint: 'https://idv.example.com/idv-session'})
 *       .catch(() => {});  // shown through the contact-identity-error event
 *   });
 */

/** The answers retried automatically, with the same Idempotency-Key. */
const RETRIED_STATUSES = new Set([429, 503]);
/** The wait when a retried answer has no usable Retry-After, in seconds. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;
/** The longest wait before a retry, in seconds; an answer asking for longer is not retried (never sooner than asked). */
const MAX_RETRY_AFTER_SECONDS = 30;
/** A token is renewed this long before its expiresAt, in milliseconds (clock skew, the component's own load time). */
const EXPIRY_SKEW_MS = 5_000;
/** New sessions minted at most per call when tokens keep expiring before the component loads. */
const MAX_RENEWALS = 3;
/** The longest delay setTimeout accepts (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The vendor's events after which the token has been used, so expiry no longer matters. */
const SETTLING_EVENTS = ['contact-identity-loaded', 'contact-identity-complete', 'contact-identity-closed'];

/** The call that currently owns an element; a newer call on the same element aborts it. */
const currentRuns = new WeakMap();

/**
 * A failure to start a session: the server's stable error `code` (`rate_limited`, `origin_not_allowed`, …) or one
 * of the client's own (`network_error`, `invalid_response`, `session_expired`), with the HTTP status and request id
 * when there was an answer. The same fields are the `detail` of the `contact-identity-error` event.
 */
export class IdvSessionError extends Error {
  /**
   * @param {{code: string, message: string, status?: number | null, requestId?: string | null,
   *          retryable?: boolean, retryAfter?: number | null}} detail
   * @param {{cause?: unknown}} [options]
   */
  constructor(detail, options) {
    super(detail.message, options);
    this.name = 'IdvSessionError';
    this.code = detail.code;
    this.status = detail.status ?? null;
    this.requestId = detail.requestId ?? null;
    this.retryable = detail.retryable ?? false;
    this.retryAfter = detail.retryAfter ?? null;
  }

  /** The fields as a plain object: the `detail` of the `contact-identity-error` event. */
  toJSON() {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfter: this.retryAfter,
    };
  }
}

/**
 * Mints a session and gives its token to `element`; resolves to `{token, expiresAt, env, requestId}`.
 * See idv-session-client.d.ts for the options and the behaviour in full.
 */
export async function startIdvSession(element, options) {
  const request = readOptions(element, options);
  request.callerSignal?.throwIfAborted();
  const run = claim(element, request.callerSignal);
  request.signal = run.signal;
  try {
    const session = await mint(request, newIdempotencyKey());
    run.signal.throwIfAborted();
    // Watch first: a component may fire contact-identity-loaded while the token attribute is being set.
    watchExpiry(element, request, session, run);
    giveToken(element, session);
    return session;
  } catch (error) {
    run.release();
    if (run.signal.aborted) throw run.signal.reason;
    if (error instanceof IdvSessionError) dispatchError(element, error);
    throw error;
  }
}

/** Checks the arguments (a TypeError for a programming mistake; no event) and gathers what each request needs. */
function readOptions(element, options) {
  if (!(element instanceof Element)) throw new TypeError('startIdvSession: the first argument must be an element.');
  if (options === null || typeof options !== 'object') {
    throw new TypeError('startIdvSession: the second argument must be an options object with an endpoint.');
  }
  const {endpoint, contactId = null, headers, signal, maxRetries = 2, fetch: fetchOption} = options;
  if (!(typeof endpoint === 'string' && endpoint !== '') && !(endpoint instanceof URL)) {
    throw new TypeError('startIdvSession: endpoint must be the URL of idv-bff\'s POST /idv-session.');
  }
  if (contactId !== null && typeof contactId !== 'string') {
    throw new TypeError('startIdvSession: contactId must be a string when given.');
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new TypeError('startIdvSession: maxRetries must be a whole number, 0 or more.');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError('startIdvSession: signal must be an AbortSignal.');
  }
  if (fetchOption !== undefined && typeof fetchOption !== 'function') {
    throw new TypeError('startIdvSession: fetch must be a function like window.fetch.');
  }
  const baseHeaders = new Headers(headers);  // throws a TypeError for headers fetch would refuse
  baseHeaders.set('Content-Type', 'application/json');
  return {
    endpoint,
    body: JSON.stringify(contactId === null ? {} : {contactId}),
    baseHeaders,
    maxRetries,
    fetch: fetchOption ?? ((input, init) => globalThis.fetch(input, init)),
    callerSignal: signal,
    signal: undefined,
  };
}

/**
 * Makes this call the element's owner: the previous call on the element, if any, is aborted (its watch stops, and
 * its promise rejects with an AbortError if still pending), so two sessions never write the same element.
 */
function claim(element, callerSignal) {
  const controller = new AbortController();
  currentRuns.get(element)?.controller.abort(
    new DOMException('A newer startIdvSession call took over this element.', 'AbortError'));
  const onCallerAbort = () => controller.abort(callerSignal.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener('abort', onCallerAbort, {once: true});
  const run = {
    controller,
    signal: controller.signal,
    release() {
      callerSignal?.removeEventListener('abort', onCallerAbort);
      if (currentRuns.get(element) === run) currentRuns.delete(element);
    },
  };
  currentRuns.set(element, run);
  return run;
}

/** POSTs until there is a session or a final failure, retrying 429 and 503 with the same Idempotency-Key. */
async function mint(request, idempotencyKey) {
  for (let retries = 0; ; retries += 1) {
    request.signal.throwIfAborted();
    const headers = new Headers(request.baseHeaders);
    headers.set('Idempotency-Key', idempotencyKey);
    let response;
    let text;
    try {
      response = await request.fetch(request.endpoint, {
        method: 'POST', headers, body: request.body, credentials: 'omit', signal: request.signal,
      });
      text = await response.text();
    } catch (cause) {
      request.signal.throwIfAborted();
      throw new IdvSessionError({
        code: 'network_error',
        message: `The session request got no answer (${cause instanceof Error ? cause.message : String(cause)}); `
          + 'the network is down, the server unreachable, or the browser withheld the answer (CORS).',
        status: response?.status ?? null,
        requestId: response?.headers.get('X-Request-Id') ?? null,
        retryable: true,
      }, {cause});
    }
    const headerRequestId = response.headers.get('X-Request-Id');
    if (response.ok) return readSession(text, response.status, headerRequestId);
    const error = readError(text, response, headerRequestId);
    if (RETRIED_STATUSES.has(response.status) && retries < request.maxRetries) {
      const waitSeconds = error.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS;
      if (waitSeconds <= MAX_RETRY_AFTER_SECONDS) {
        await sleep(waitSeconds * 1000, request.signal);
        continue;
      }
    }
    throw error;
  }
}

/** A 2xx answer: the session, if the body is the promised `{token, expiresAt, env}`. */
function readSession(text, status, requestId) {
  const body = parseObject(text);
  const problem = body === null ? 'the body is not a JSON object'
    : typeof body.token !== 'string' || body.token === '' ? 'token is not a non-empty string'
    : typeof body.expiresAt !== 'string' || Number.isNaN(Date.parse(body.expiresAt)) ? 'expiresAt is not a date'
    : body.env !== 'prod' && body.env !== 'stage' ? 'env is neither "prod" nor "stage"'
    : null;
  if (problem !== null) {
    throw new IdvSessionError({
      code: 'invalid_response',
      message: `The server answered ${status} but not with a session: ${problem}.`,
      status, requestId, retryable: false,
    });
  }
  return {token: body.token, expiresAt: body.expiresAt, env: body.env, requestId};
}

/** A non-2xx answer as an error: the server's `{"error":{code, message, requestId}}`, or invalid_response. */
function readError(text, response, headerRequestId) {
  const {status} = response;
  const retryAfter = RETRIED_STATUSES.has(status) ? parseRetryAfter(response.headers.get('Retry-After')) : null;
  const error = parseObject(text)?.error;
  if (error === null || typeof error !== 'object' || typeof error.code !== 'string' || error.code === '') {
    return new IdvSessionError({
      code: 'invalid_response',
      message: `The server answered ${status} without its JSON error body.`,
      status, requestId: headerRequestId, retryable: isRetryable(status, null), retryAfter,
    });
  }
  return new IdvSessionError({
    code: error.code,
    message: typeof error.message === 'string' && error.message !== '' ? error.message : `The server answered ${status}.`,
    status,
    requestId: typeof error.requestId === 'string' && error.requestId !== '' ? error.requestId : headerRequestId,
    retryable: isRetryable(status, error.code),
    retryAfter,
  });
}

/** Whether trying again later (a new call) may succeed: busy, timed out or unreachable, not refused. */
function isRetryable(status, code) {
  if (status === 429 || status === 503 || status === 504) return true;
  return status === 502 && code !== 'upstream_auth_failed';
}

/** Retry-After as seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP date), or null when absent or unreadable. */
function parseRetryAfter(value) {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The text as a JSON object, or null when it is not one. */
function parseObject(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Sets `env` before `token`: the component opens the flow as soon as it has a token. */
function giveToken(element, session) {
  element.setAttribute('env', session.env);
  element.setAttribute('token', session.token);
}

/**
 * Until the component fires loaded, complete or closed: when the token is about to expire, mints a new session
 * (with a new Idempotency-Key: the old key would replay the expired token) and gives it to the element. At most
 * MAX_RENEWALS times; then, or when a renewal fails, a contact-identity-error event says so.
 */
function watchExpiry(element, request, session, run) {
  let timer;
  let renewals = 0;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const name of SETTLING_EVENTS) element.removeEventListener(name, stop);
    run.signal.removeEventListener('abort', stop);
    run.release();
  };
  for (const name of SETTLING_EVENTS) element.addEventListener(name, stop);
  run.signal.addEventListener('abort', stop);

  const armFor = (expiresAt) => {
    const due = Date.parse(expiresAt) - EXPIRY_SKEW_MS;
    const arm = () => {
      timer = setTimeout(() => (Date.now() >= due ? renew() : arm()),
        Math.min(Math.max(due - Date.now(), 0), MAX_TIMER_MS));
    };
    arm();
  };

  const renew = async () => {
    if (renewals === MAX_RENEWALS) {
      stop();
      dispatchError(element, new IdvSessionError({
        code: 'session_expired',
        message: `The session expired ${MAX_RENEWALS + 1} times before the verification loaded; start again.`,
        retryable: true,
      }));
      return;
    }
    renewals += 1;
    try {
      const next = await mint(request, newIdempotencyKey());
      if (stopped) return;
      giveToken(element, next);
      armFor(next.expiresAt);
    } catch (error) {
      if (stopped) return;
      stop();
      if (error instanceof IdvSessionError) dispatchError(element, error);
    }
  };

  armFor(session.expiresAt);
}

/** The contact-identity-error event: bubbling and composed, like the vendor's events. */
function dispatchError(element, error) {
  element.dispatchEvent(new CustomEvent('contact-identity-error', {
    bubbles: true, composed: true, detail: error.toJSON(),
  }));
}

/** A random UUID (v4); crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, {once: true});
  });
}
