// The demo page's script (served at /demo/demo.js): the whole flow an integrator's page runs, on idv-bff's
// demo mode. The real component, if a page loads it first, takes precedence over the stand-in.
import {IdvSessionError, startIdvSession} from '/client/idv-session-client.js';
import '/demo/contact-idv-session-standin.js';

const idv = document.getElementById('idv');
const verify = document.getElementById('verify');
const retry = document.getElementById('retry');
const status = document.getElementById('status');
const error = document.getElementById('error');
const thanks = document.getElementById('thanks');

/** A session is being minted or verified: further clicks are ignored, so one click mints one session. */
let running = false;

/** `state` (idle, minting, loading, loaded, complete, closed, error) is also kept in #status's data-state. */
function show(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

function finish() {
  running = false;
  verify.disabled = false;
}

async function start() {
  if (running) return;
  running = true;
  verify.disabled = true;
  retry.hidden = true;
  error.hidden = true;
  thanks.hidden = true;
  idv.hidden = true;
  idv.removeAttribute('token');  // a used token must not open again
  show('minting', 'Minting a session…');
  try {
    const session = await startIdvSession(idv, {endpoint: '/idv-session'});
    idv.hidden = false;
    if (status.dataset.state === 'minting') {  // the component may have loaded already
      show('loading', `Session minted (ClientLoop ${session.env}); the verification is loading…`);
    }
  } catch (failure) {
    // IdvSessionError: shown by the contact-identity-error listener. AbortError: nothing to show.
    if (!(failure instanceof IdvSessionError) && failure?.name !== 'AbortError') throw failure;
  }
}

verify.addEventListener('click', start);
retry.addEventListener('click', start);

idv.addEventListener('contact-identity-loaded', () => {
  show('loaded', `Verification loaded (ClientLoop ${idv.getAttribute('env')}): waiting for the contact to finish.`);
});

idv.addEventListener('contact-identity-complete', () => {
  idv.hidden = true;
  thanks.hidden = false;
  show('complete', 'Verification complete.');
  finish();
});

idv.addEventListener('contact-identity-closed', () => {
  idv.hidden = true;
  retry.hidden = false;
  show('closed', 'The verification was closed before the end.');
  finish();
});

idv.addEventListener('contact-identity-error', (event) => {
  const {code, message, requestId, retryable} = event.detail;
  const codeText = document.createElement('code');
  codeText.textContent = code;
  error.replaceChildren('Verification could not start: ', codeText, ` — ${message}`,
    ` (request id ${requestId ?? 'none'})`);
  error.hidden = false;
  idv.hidden = true;
  retry.hidden = !retryable;
  show('error', retryable ? 'Something went wrong; you can try again.' : 'Something went wrong.');
  finish();
});

verify.disabled = false;  // disabled in the HTML until this script can handle the click
