// The demo page's files, kept as strings so the build needs no copy step. The page loads no inline
// script or style, so its CSP can be `'self'` only.

export const DEMO_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Interlink realtime gateway demo</title>
<link rel="stylesheet" href="/demo/app.css">
<script type="module" src="/demo/app.js"></script>
</head>
<body>
<h1>Interlink realtime gateway</h1>
<p class="note">Development demo: sign-in mints a token with a key generated when the gateway started.</p>
<form id="sign-in">
  <label>User <input id="user" value="demo-user" autocomplete="off"></label>
  <label>Tenant <input id="tenant" value="demo-tenant" autocomplete="off"></label>
  <button id="sign-in-button" type="submit">Sign in</button>
</form>
<p>Status: <strong id="status">signed out</strong> <span id="last-id"></span></p>
<p><button id="two-way" type="button" disabled>Send through /api (two-way)</button></p>
<p id="reset" hidden></p>
<ol id="events"></ol>
</body>
</html>
`;

export const DEMO_CSS = `body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 50rem; }
.note { color: #555; }
label { margin-right: 1rem; }
#events li { font-family: ui-monospace, monospace; margin: 0.2rem 0; }
#reset { background: #fff3cd; padding: 0.5rem; }
#status[data-status="open"] { color: #1a7f37; }
`;

export const DEMO_JS = `import { createRealtimeClient } from '/demo/sdk/index.js';

const $ = (id) => document.getElementById(id);
let token;
let client;

function show(event) {
  const li = document.createElement('li');
  li.dataset.type = event.type;
  if (event.id) li.dataset.id = event.id;
  li.textContent = event.type + ' ' + event.raw;
  $('events').append(li);
}

$('sign-in').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('/demo/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: $('user').value, tenantId: $('tenant').value }),
  });
  if (!res.ok) {
    $('status').textContent = 'sign-in refused (' + res.status + ')';
    return;
  }
  token = (await res.json()).token;
  client?.close();
  client = createRealtimeClient({
    url: location.origin,
    // ?transport=eventsource: the browser's EventSource with a stream token instead of fetch.
    transport: new URLSearchParams(location.search).get('transport') === 'eventsource' ? 'eventsource' : 'fetch',
    eventTypes: ['n', 'echo', 'hello'],
    getToken: () => token,
    backoff: { initialMs: 200, maxMs: 2000 },
    onEvent: show,
    onStatus: (status) => {
      $('status').textContent = status;
      $('status').dataset.status = status;
    },
    onReset: (info) => {
      $('reset').hidden = false;
      $('reset').textContent = 'History was reset (' + info.reason + '): reload your data.';
    },
  });
  $('two-way').disabled = false;
});

$('two-way').addEventListener('click', async () => {
  await fetch('/api/echo', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'hello from the page at ' + new Date().toISOString() }),
  });
});
`;
