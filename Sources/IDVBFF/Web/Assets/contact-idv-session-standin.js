/**
 * contact-idv-session-standin.js: a stand-in for ClientLoop's <contact-idv-session> in idv-bff's demo mode.
 *
 * It is NOT ClientLoop's component and opens no Plaid flow: it shows a mock dialog (the environment and a shortened
 * token), and fires the vendor's events as ClientLoop documents them (bubbling, composed, no detail):
 * `contact-identity-loaded` once it shows a token, `contact-identity-complete` from its "Complete" button
 * ([data-action=complete]) and `contact-identity-closed` from its "Close" button ([data-action=close]).
 * It defines the element only when nothing defined it yet, so the real component, loaded first, wins.
 */

const TAG = 'contact-idv-session';

/** How long the mock "loads" before firing contact-identity-loaded, in milliseconds. */
const LOAD_DELAY_MS = 150;

// A constructed style sheet: unlike a <style> element it needs no 'unsafe-inline' in the page's style-src.
const styles = new CSSStyleSheet();
styles.replaceSync(`
  :host { display: block; font: 14px/1.4 system-ui, sans-serif; color: #1d2330; }
  :host([hidden]) { display: none; }
  .dialog { border: 1px solid #c6cbd6; border-radius: 8px; background: #fff; max-width: 26rem;
            box-shadow: 0 2px 10px rgb(0 0 0 / 8%); overflow: hidden; }
  .banner { margin: 0; padding: .35rem .75rem; background: #fff3c4; color: #5c4500; font-size: 12px;
            font-weight: 600; letter-spacing: .02em; border-bottom: 1px solid #e8d48a; }
  .body { padding: .75rem; }
  h2 { margin: 0 0 .5rem; font-size: 16px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .75rem; margin: 0 0 .75rem; }
  dt { color: #5b6272; }
  dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
  .state { margin: 0 0 .75rem; color: #5b6272; }
  .actions { display: flex; gap: .5rem; }
  button { font: inherit; padding: .35rem .9rem; border-radius: 6px; border: 1px solid #8a92a3;
           background: #f4f5f8; cursor: pointer; }
  button[data-action=complete] { background: #1f6feb; border-color: #1f6feb; color: #fff; }
  button:disabled { opacity: .5; cursor: default; }
`);

/** `link-sandbox-6f1c…c9e2`: enough to tell tokens apart, too little to use one. */
function shorten(token) {
  return token.length <= 24 ? token : `${token.slice(0, 17)}…${token.slice(-4)}`;
}

class ContactIdvSessionStandIn extends HTMLElement {
  static observedAttributes = ['token', 'env'];

  #root;
  #loadTimer = 0;
  #token = null;
  /** Where the mock is for #token: 'loading', 'ready' (loaded fired), 'complete' or 'closed'. */
  #phase = 'loading';

  constructor() {
    super();
    this.#root = this.attachShadow({mode: 'open'});
    this.#root.adoptedStyleSheets = [styles];
  }

  connectedCallback() {
    this.#update();
  }

  disconnectedCallback() {
    clearTimeout(this.#loadTimer);
    this.#token = null;
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#update();
  }

  /** A new token starts a new mock verification; an env change alone only redraws. */
  #update() {
    const token = this.getAttribute('token') || null;
    if (token !== this.#token) {
      clearTimeout(this.#loadTimer);
      this.#token = token;
      this.#phase = 'loading';
      if (token !== null) {
        this.#loadTimer = setTimeout(() => {
          this.#phase = 'ready';
          this.#render();
          this.#fire('contact-identity-loaded');
        }, LOAD_DELAY_MS);
      }
    }
    this.#render();
  }

  #render() {
    if (this.#token === null) {
      this.#root.replaceChildren();
      return;
    }
    const ready = this.#phase === 'ready';
    const complete = element('button', {type: 'button', 'data-action': 'complete'}, 'Complete');
    const close = element('button', {type: 'button', 'data-action': 'close'}, 'Close');
    complete.disabled = close.disabled = !ready;
    complete.addEventListener('click', () => this.#finish('complete'));
    close.addEventListener('click', () => this.#finish('closed'));
    const state = {
      loading: 'Loading the verification…',
      ready: 'Mock verification ready: choose how it ends.',
      complete: 'Verification complete.',
      closed: 'Closed by the contact.',
    }[this.#phase];
    this.#root.replaceChildren(
      element('div', {class: 'dialog', role: 'dialog', 'aria-label': 'Identity verification (demo stand-in)'},
        element('p', {class: 'banner'}, 'Demo stand-in — not ClientLoop\'s component'),
        element('div', {class: 'body'},
          element('h2', {}, 'Mock identity verification'),
          element('dl', {},
            element('dt', {}, 'Environment'), element('dd', {}, this.getAttribute('env') || 'prod'),
            element('dt', {}, 'Token'), element('dd', {}, shorten(this.#token))),
          element('p', {class: 'state', role: 'status'}, state),
          element('div', {class: 'actions'}, complete, close))));
  }

  /** The contact ends the mock verification: complete or closed, once per token. */
  #finish(phase) {
    if (this.#phase !== 'ready') return;
    this.#phase = phase;
    this.#render();
    this.#fire(`contact-identity-${phase}`);
  }

  #fire(name) {
    this.dispatchEvent(new CustomEvent(name, {bubbles: true, composed: true}));
  }
}

/** A new element with attributes and children (strings become text: nothing is parsed as HTML). */
function element(name, attributes, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

if (!customElements.get(TAG)) customElements.define(TAG, ContactIdvSessionStandIn);
