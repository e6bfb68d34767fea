/**
 * The app simulator's script, served at /dev/app.js (local development only). It is a companion app
 * speaking the protocol of docs/companion-app.md against this Worker:
 *   - activates with a code (from POST /dev/app/activation for a typed number, or a pasted activation
 *     link) and a P-256 key pair made with WebCrypto, kept in localStorage (dev only: an exportable JWK);
 *   - every second, a signed pending pull (POST /api/plus/v1/pending) for the requests to show, and
 *     the dev push inbox (GET /dev/app/pushes) for the notification;
 *   - answers with signed decisions, and deactivates with a signed request.
 * Plain browser JavaScript, no dependencies; a string because the Worker serves it (no template
 * literals inside, so no escaping).
 */
export const APP_SIMULATOR_JS = String.raw`
(function () {
  'use strict';
  var DEVICE_KEY = 'sfwa-app-simulator.device';
  var INSTALLATION_KEY = 'sfwa-app-simulator.installation-id';
  var ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };
  var SIGNING = { name: 'ECDSA', hash: 'SHA-256' };
  var MAX_CARDS = 10;

  var $ = function (id) { return document.getElementById(id); };
  var subtle = window.crypto && window.crypto.subtle;
  var device = null;       // { deviceId, msisdnMasked, installationId, pushToken, privateKey (JWK), lastTimestamp }
  var signingKey = null;   // device.privateKey imported
  var cards = {};          // sessionId -> { request, element, state: 'open' | 'deciding' | 'done' }
  var seenPushes = null;   // keys of the pushes already shown (null until the first read)
  var timer = null;
  var polling = null;      // the poll in flight
  var refusals = 0;        // pending pulls refused in a row

  // ---- storage -------------------------------------------------------------------------------
  function loadDevice() {
    try { return JSON.parse(localStorage.getItem(DEVICE_KEY) || 'null'); } catch (error) { return null; }
  }
  function saveDevice() { localStorage.setItem(DEVICE_KEY, JSON.stringify(device)); }
  function installationId() {
    var id = localStorage.getItem(INSTALLATION_KEY);
    if (!id) {
      id = 'web-' + crypto.randomUUID();
      localStorage.setItem(INSTALLATION_KEY, id);
    }
    return id;
  }

  // ---- the protocol: signing and requests ----------------------------------------------------
  function base64url(bytes) {
    var text = '';
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  /** signedText() of docs/companion-app.md: the lines joined with a line feed, no trailing one; v2 for decisions. */
  function signedText(purpose, fields, timestamp, version) {
    return ['sfwa-plus-v' + (version || 1), purpose].concat(fields, [String(timestamp)]).join('\n');
  }

  /** textsHash of docs/companion-app.md: SHA-256 of the four texts shown, joined by U+001F, base64url. */
  async function textsHash(request) {
    var shown = [request.title, request.body, request.acceptLabel, request.rejectLabel].join('\u001f');
    return base64url(new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(shown))));
  }

  /** Strictly increasing per device (the Worker refuses a timestamp it has seen), kept across reloads. */
  function nextTimestamp() {
    device.lastTimestamp = Math.max(Date.now(), (device.lastTimestamp || 0) + 1);
    saveDevice();
    return device.lastTimestamp;
  }

  /** { deviceId, timestamp, signature } over signedText(purpose, fields, timestamp, version). */
  async function signedRequest(purpose, fields, version) {
    var timestamp = nextTimestamp();
    if (!signingKey) signingKey = await subtle.importKey('jwk', device.privateKey, ECDSA, false, ['sign']);
    var text = new TextEncoder().encode(signedText(purpose, fields, timestamp, version));
    var signature = new Uint8Array(await subtle.sign(SIGNING, signingKey, text));
    return { deviceId: device.deviceId, timestamp: timestamp, signature: base64url(signature) };
  }

  async function send(method, path, body) {
    var response = await fetch(path, {
      method: method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    var json = null;
    try { json = await response.json(); } catch (error) { /* not JSON */ }
    return { status: response.status, body: json };
  }

  /** The API's refusal as one line: its message names the invalid fields. */
  function problem(answer) {
    return (answer.body && answer.body.message) || ('HTTP ' + answer.status);
  }

  // ---- showing state -------------------------------------------------------------------------
  function say(text, isError) {
    var message = $('message');
    message.textContent = text || '';
    message.className = isError ? 'error' : 'muted';
    message.hidden = !text;
  }

  function render() {
    $('activate-section').hidden = Boolean(device);
    $('device-section').hidden = !device;
    $('requests-section').hidden = !device;
    if (!device) return;
    $('device-number').textContent = device.msisdnMasked;
    $('device-id').textContent = device.deviceId;
    $('device-push-token').textContent = device.pushToken + (device.pushToken.indexOf('dev-gone:') === 0 ? ' (simulated broken token)' : '');
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(className, text, testId, onClick) {
    var node = element('button', className, text);
    node.type = 'button';
    node.setAttribute('data-testid', testId);
    node.addEventListener('click', onClick);
    return node;
  }

  function time(ms) { return new Date(ms).toLocaleTimeString(); }

  // ---- request cards -------------------------------------------------------------------------
  function showRequest(request) {
    if (cards[request.sessionId]) return;
    var card = { request: request, state: 'open' };
    var node = card.element = element('article', 'request');
    var titleId = 'request-' + request.sessionId;
    node.setAttribute('data-testid', 'request-card');
    node.setAttribute('data-session-id', request.sessionId);
    node.setAttribute('aria-labelledby', titleId);
    var title = node.appendChild(element('h3', '', request.title));
    title.id = titleId;
    node.appendChild(element('p', '', request.body));
    var context = request.context || {};
    var asked = 'Requested by ' + request.profileName + ' at ' + time(context.requestedAtMs || Date.now());
    if (context.location) asked += ' near ' + context.location;
    node.appendChild(element('p', 'muted', asked)).setAttribute('data-testid', 'request-context');
    card.countdown = node.appendChild(element('p', 'muted'));
    card.countdown.setAttribute('data-testid', 'countdown');

    card.buttons = [];
    var add = function (parent, node) { card.buttons.push(node); return parent.appendChild(node); };
    if (request.matchRequired && request.matchChoices) {
      node.appendChild(element('p', '', 'Which number is shown where you are signing in?')).className = 'match-prompt';
      var choices = node.appendChild(element('div', 'buttons'));
      choices.setAttribute('role', 'group');
      choices.setAttribute('aria-label', 'Numbers to pick from');
      request.matchChoices.forEach(function (choice) {
        add(choices, button('match', choice, 'match-choice', function () { decide(card, 'accept', choice); }));
      });
    }
    var answers = node.appendChild(element('div', 'buttons'));
    if (!request.matchRequired) add(answers, button('accept', request.acceptLabel, 'accept', function () { decide(card, 'accept'); }));
    add(answers, button('reject', request.rejectLabel, 'reject', function () { decide(card, 'reject'); }));
    add(node, button('report', 'This wasn\'t me', 'report', function () { decide(card, 'report'); }));
    card.result = node.appendChild(element('p', 'result'));
    card.result.setAttribute('role', 'status');
    card.result.setAttribute('data-testid', 'result');
    card.result.hidden = true;

    cards[request.sessionId] = card;
    var list = $('requests');
    list.insertBefore(node, list.firstChild);
    $('no-requests').hidden = true;
    // Old answered cards go; the open ones stay.
    var all = list.querySelectorAll('article');
    for (var i = all.length - 1; i >= MAX_CARDS; i--) {
      var old = cards[all[i].getAttribute('data-session-id')];
      if (old && old.state === 'done') { delete cards[old.request.sessionId]; all[i].remove(); }
    }
    tickCountdown(card);
  }

  function tickCountdown(card) {
    if (card.state === 'done') return;
    var secondsLeft = Math.ceil((card.request.deadlineMs - Date.now()) / 1000);
    if (secondsLeft > 0) card.countdown.textContent = 'Answer within ' + secondsLeft + ' s';
    else if (card.state === 'open') finish(card, 'timed-out', 'Timed out: no answer was given in time.');
  }

  function finish(card, result, text) {
    card.state = 'done';
    card.countdown.hidden = true;
    card.buttons.forEach(function (node) { node.remove(); });
    var prompt = card.element.querySelector('.match-prompt');
    if (prompt) prompt.remove();
    card.result.textContent = text;
    card.result.setAttribute('data-result', result);
    card.result.hidden = false;
  }

  var DECIDED = {
    accepted: function () { return 'Accepted: the sign-in goes ahead.'; },
    rejected: function (decision, matchCode) {
      if (decision === 'report') return 'Reported: rejected, and this service may not ask this number again for a while.';
      if (matchCode) return 'Rejected: ' + matchCode + ' was not the number shown.';
      return 'Rejected.';
    },
    timed_out: function () { return 'Too late: the request had already timed out.'; },
  };

  async function decide(card, decision, matchCode) {
    if (card.state !== 'open' || !device) return;
    card.state = 'deciding';
    card.buttons.forEach(function (node) { node.disabled = true; });
    var sessionId = card.request.sessionId;
    var answer;
    try {
      // Protocol v2: the hash of the texts on this card is signed with the answer (it goes into the receipt).
      var shown = await textsHash(card.request);
      var body = await signedRequest('decision', [sessionId, device.deviceId, decision, matchCode || '', shown], 2);
      body.decision = decision;
      body.textsHash = shown;
      if (matchCode) body.matchCode = matchCode;
      answer = await send('POST', '/api/plus/v1/sessions/' + encodeURIComponent(sessionId) + '/decision', body);
    } catch (error) {
      card.state = 'open';
      card.buttons.forEach(function (node) { node.disabled = false; });
      say('Could not send the answer: ' + error.message, true);
      return;
    }
    if (answer.status === 200) {
      var status = answer.body.status;
      var result = status === 'timed_out' ? 'timed-out' : status;
      finish(card, result, DECIDED[status] ? DECIDED[status](decision, matchCode) : 'Answered: ' + status + '.');
    } else if (answer.status === 409) {
      finish(card, 'already-answered', 'Already answered (on another device, or by the SMS link).');
    } else {
      finish(card, 'refused', 'Refused by the server: ' + problem(answer));
    }
  }

  // ---- polling: the pending pull and the push inbox ------------------------------------------
  async function pullPending() {
    var answer = await send('POST', '/api/plus/v1/pending', await signedRequest('pending', [device.deviceId]));
    if (answer.status === 401) {
      // Once could be a clash of two tabs; three in a row means the server no longer has this device.
      refusals += 1;
      if (refusals >= 3) forget('The server no longer knows this device: it was deactivated (by an administrator, or because its push token was reported broken). Activate again.', true);
      return;
    }
    if (answer.status !== 200) throw new Error(problem(answer));
    refusals = 0;
    var listed = {};
    answer.body.requests.forEach(function (request) {
      listed[request.sessionId] = true;
      showRequest(request);
    });
    Object.keys(cards).forEach(function (sessionId) {
      var card = cards[sessionId];
      if (!listed[sessionId] && card.state === 'open') finish(card, 'gone', 'No longer waiting: answered by SMS link, timed out, or the caller gave up.');
    });
  }

  async function pullPushes() {
    var answer = await send('GET', '/dev/app/pushes?deviceId=' + encodeURIComponent(device.deviceId));
    if (answer.status !== 200 || !Array.isArray(answer.body)) return;
    var first = seenPushes === null;
    if (first) seenPushes = {};
    answer.body.slice().reverse().forEach(function (push) {
      var key = push.message.sessionId + '@' + push.sentAt;
      if (seenPushes[key]) return;
      seenPushes[key] = true;
      if (first) return; // pushes from before this page was opened are not news
      var notice = $('notice');
      notice.textContent = 'Push received at ' + time(Date.parse(push.sentAt)) + ': ' + push.message.title + ' (' + push.message.profileName + ')';
      notice.hidden = false;
    });
  }

  function tick() {
    Object.keys(cards).forEach(function (sessionId) { tickCountdown(cards[sessionId]); });
    if (!device || polling) return;
    polling = Promise.all([pullPending(), pullPushes()])
      .then(function () { $('poll-status').textContent = 'Checking for sign-in requests every second (last at ' + time(Date.now()) + ').'; })
      .catch(function (error) { $('poll-status').textContent = 'Could not check for requests: ' + error.message; })
      .then(function () { polling = null; });
  }

  function startPolling() {
    if (timer) return;
    timer = setInterval(tick, 1000);
    tick();
  }

  /** Stops polling; resolves once no pull is in flight (so a deactivation's timestamp comes last). */
  function stopPolling() {
    clearInterval(timer);
    timer = null;
    return polling || Promise.resolve();
  }

  // ---- activation and deactivation -----------------------------------------------------------
  /** The code of a pasted activation link (https://…/plus/activate/CODE) or deep link (sfwa-plus://activate?code=CODE). */
  function activationCode(text) {
    var match = /\/plus\/activate\/([A-Za-z0-9_-]+)/.exec(text) || /^sfwa-plus:\/\/activate\?(?:.*&)?code=([A-Za-z0-9_-]+)/.exec(text);
    return match ? match[1] : null;
  }

  async function activate(input, brokenPush) {
    var code = activationCode(input);
    if (!code) {
      var created = await send('POST', '/dev/app/activation', { msisdn: input });
      if (created.status !== 201) throw new Error(problem(created));
      code = created.body.code;
    }
    var pair = await subtle.generateKey(ECDSA, true, ['sign', 'verify']);
    var publicKey = await subtle.exportKey('jwk', pair.publicKey);
    var installation = installationId();
    var pushToken = (brokenPush ? 'dev-gone:' : 'dev:') + installation;
    var answer = await send('POST', '/api/plus/v1/activate', {
      code: code, installationId: installation, platform: 'web', pushToken: pushToken, publicKey: publicKey, label: 'App simulator',
    });
    if (answer.status !== 201) throw new Error(problem(answer));
    device = {
      deviceId: answer.body.deviceId,
      msisdnMasked: answer.body.msisdnMasked,
      installationId: installation,
      pushToken: pushToken,
      privateKey: await subtle.exportKey('jwk', pair.privateKey),
      lastTimestamp: 0,
    };
    signingKey = pair.privateKey;
    refusals = 0;
    seenPushes = {}; // a new device: every push from now on is news
    saveDevice();
  }

  /** Forgets the device here: localStorage cleared, back to the activation form. */
  function forget(text, isError) {
    stopPolling();
    localStorage.removeItem(DEVICE_KEY);
    localStorage.removeItem(INSTALLATION_KEY);
    device = null;
    signingKey = null;
    cards = {};
    seenPushes = null;
    $('requests').textContent = '';
    $('no-requests').hidden = false;
    $('notice').hidden = true;
    render();
    say(text, isError);
  }

  $('activate-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    var input = $('activate-input').value.trim();
    if (!input) return;
    var submit = $('activate-button');
    submit.disabled = true;
    say('Activating…');
    try {
      await activate(input, $('broken-push').checked);
      say('Activated: sign-in requests to ' + device.msisdnMasked + ' now come to this simulator.');
      render();
      startPolling();
    } catch (error) {
      say('Activation refused: ' + error.message, true);
    } finally {
      submit.disabled = false;
    }
  });

  $('deactivate').addEventListener('click', async function () {
    var deactivate = $('deactivate');
    deactivate.disabled = true;
    await stopPolling();
    try {
      var answer = await send('POST', '/api/plus/v1/deactivate', await signedRequest('deactivate', [device.deviceId]));
      if (answer.status === 200) forget('Deactivated: sign-in requests to ' + device.msisdnMasked + ' go by SMS again.');
      else if (answer.status === 401) forget('The server no longer knew this device; it is forgotten here too.', true);
      else { say('Deactivation refused: ' + problem(answer), true); startPolling(); }
    } catch (error) {
      say('Could not deactivate: ' + error.message, true);
      startPolling();
    } finally {
      deactivate.disabled = false;
    }
  });

  if (!subtle) {
    // WebCrypto exists only in secure contexts: http://localhost is one, http://192.168.x.y is not.
    $('activate-section').hidden = false;
    $('activate-button').disabled = true;
    say('WebCrypto is not available here: open the simulator at http://localhost:<port>/dev/app.', true);
    return;
  }
  device = loadDevice();
  render();
  if (device) startPolling();
})();
`;
