/**
 * Types for idv-session-client.js, served by idv-bff at /client/idv-session-client.js: start a ClientLoop
 * identity verification from the browser through idv-bff's `POST /idv-session` and hand the token to the
 * vendor's `<contact-idv-session>` element.
 *
 * @example
 * import {startIdvSession} from 'https://idv.example.com/client/idv-session-client.js';
 *
 * const idv = document.getElementById('idv')!;
 * idv.addEventListener('contact-identity-error', (event) => show(event.detail.code, event.detail.requestId));
 * verifyButton.addEventListener('click', () => {
 *   startIdvSession(idv, {endpoint: 'https://idv.example.com/idv-session'}).catch(() => {});
 * });
 */

/** ClientLoop's environments; the element's `env` attribute. */
export type IdvEnvironment = 'prod' | 'stage';

/** A session idv-bff minted, as given to the element. */
export interface IdvSession {
  /** The short-lived token, set as the element's `token` attribute. Never log it. */
  readonly token: string;
  /** When the token stops working, as ClientLoop returned it (ISO 8601, e.g. `"2026-11-27T15:20:10Z"`). */
  readonly expiresAt: string;
  /** The ClientLoop environment the session was created in, set as the element's `env` attribute. */
  readonly env: IdvEnvironment;
  /** The answer's `X-Request-Id`, for support requests and idv-bff's logs; `null` if the header was not readable. */
  readonly requestId: string | null;
}

/** The error codes idv-bff answers with (README, "Errors"), and the three the client adds itself. */
export type IdvSessionErrorCode =
  /** Client: `fetch` failed, no answer arrived (offline, server down, or the browser withheld it: CORS). */
  | 'network_error'
  /** Client: an answer that is not the promised JSON (a 200 without `{token, expiresAt, env}`, an HTML error page). */
  | 'invalid_response'
  /** Client: the token expired before the component loaded, renewals included; start again. */
  | 'session_expired'
  | 'invalid_json'
  | 'invalid_request'
  | 'unsupported_media_type'
  | 'bad_request'
  | 'length_required'
  | 'payload_too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'origin_not_allowed'
  | 'cors_preflight_refused'
  | 'rate_limited'
  | 'contact_forbidden'
  | 'unauthorized'
  | 'invalid_idempotency_key'
  | 'idempotency_key_reused'
  | 'upstream_error'
  | 'upstream_auth_failed'
  | 'upstream_busy'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'internal_error'
  /** A code a newer server may add. */
  | (string & {});

/** What went wrong: the fields of {@link IdvSessionError} and the `detail` of the `contact-identity-error` event. */
export interface IdvSessionErrorDetail {
  /** The server's stable error code, or the client's own `network_error`, `invalid_response`, `session_expired`. */
  readonly code: IdvSessionErrorCode;
  /** A message for developers (the server's own when it sent one); not meant for the page's visitors. */
  readonly message: string;
  /** The HTTP status of the answer; `null` when there was none (`network_error`, `session_expired`). */
  readonly status: number | null;
  /** The request id: the error body's `requestId`, else the `X-Request-Id` header; `null` when neither was there. */
  readonly requestId: string | null;
  /**
   * Whether trying again later, with a new call, may succeed: `network_error`, `session_expired`, 429, 503, 504,
   * and 502 except `upstream_auth_failed`. The client has already retried 429 and 503 itself.
   */
  readonly retryable: boolean;
  /** A 429 or 503 answer's `Retry-After`, in seconds; `null` when absent, unreadable or another status. */
  readonly retryAfter: number | null;
}

/** Options of {@link startIdvSession}. */
export interface StartIdvSessionOptions {
  /** The URL of idv-bff's `POST /idv-session`: `'/idv-session'` on the page's origin, or an absolute URL. */
  endpoint: string | URL;
  /**
   * The contact to verify; omitted, `null` or absent sends `{}` (a brand-new contact). Whether the server accepts
   * it depends on its `contact.policy` (`403 contact_forbidden` otherwise).
   */
  contactId?: string | null;
  /**
   * Extra request headers, e.g. `{Authorization: 'Bearer <JWT from your identity provider>'}` for
   * `contact.policy: jwt`. `Content-Type` and `Idempotency-Key` are set by the client. Cross-origin, only
   * `Authorization` and `X-Request-Id` pass idv-bff's CORS preflight besides those two.
   */
  headers?: HeadersInit;
  /**
   * Aborts the call (the request, a wait before a retry) and the expiry watch. The promise then rejects with the
   * signal's reason (an `AbortError` `DOMException` unless you gave another), and no event is dispatched.
   */
  signal?: AbortSignal;
  /** How many times a `429` or `503` answer is retried, after its `Retry-After`; a whole number, default 2. */
  maxRetries?: number;
  /** The `fetch` to call instead of the global one (tests, instrumentation). */
  fetch?: (input: string | URL, init: RequestInit) => Promise<Response>;
}

/**
 * Mints a session with `POST endpoint` and gives it to `element` (a `<contact-idv-session>`): sets its `env`
 * attribute, then its `token` attribute, then resolves to the session.
 *
 * - One `Idempotency-Key` (a random UUID) per call, kept for the call's own retries, so that a retried request is
 *   answered with the first answer instead of minting again. Call it once per user action, and ignore further
 *   clicks while it runs: two calls are two sessions.
 * - `429` and `503` are retried up to `maxRetries` times, each after its `Retry-After` (seconds or an HTTP date;
 *   1 s when absent). An answer asking for more than 30 s is not retried: the call fails with it.
 * - If the token's `expiresAt` (less 5 s) passes before the element fires `contact-identity-loaded`, a new session
 *   is minted, with a new `Idempotency-Key` (the old one would replay the expired token), and given to the element;
 *   at most 3 times, after which a `session_expired` error event is dispatched. The watch ends at
 *   `contact-identity-loaded`, `contact-identity-complete` or `contact-identity-closed`, on abort, and when a newer
 *   call takes the element. A renewal that fails dispatches `contact-identity-error` (the promise has resolved).
 * - On failure, dispatches `contact-identity-error` on the element (bubbling, composed; `detail` an
 *   {@link IdvSessionErrorDetail}), then rejects with an {@link IdvSessionError} carrying the same fields.
 * - A newer call on the same element aborts this one (an `AbortError`, no event) so that two sessions never write
 *   one element.
 * - Arguments that cannot work (no element, no endpoint, a bad `maxRetries`) reject with a `TypeError`, no event.
 *
 * Requests are sent with `credentials: 'omit'`: no cookies; authenticate with `headers`.
 */
export function startIdvSession(element: Element, options: StartIdvSessionOptions): Promise<IdvSession>;

/** A failure of {@link startIdvSession}; its fields are those of the `contact-identity-error` event's `detail`. */
export class IdvSessionError extends Error implements IdvSessionErrorDetail {
  constructor(
    detail: {
      code: IdvSessionErrorCode;
      message: string;
      status?: number | null;
      requestId?: string | null;
      retryable?: boolean;
      retryAfter?: number | null;
    },
    options?: {cause?: unknown},
  );
  readonly name: 'IdvSessionError';
  readonly code: IdvSessionErrorCode;
  readonly status: number | null;
  readonly requestId: string | null;
  readonly retryable: boolean;
  readonly retryAfter: number | null;
  /** The fields as a plain object, as in the event's `detail`. */
  toJSON(): IdvSessionErrorDetail;
}

declare global {
  interface HTMLElementEventMap {
    /** Dispatched by idv-session-client.js on the element when a session could not be started or renewed. */
    'contact-identity-error': CustomEvent<IdvSessionErrorDetail>;
  }
}
