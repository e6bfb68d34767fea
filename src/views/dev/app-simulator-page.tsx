/**
 * Local development: the companion-app simulator at /dev/app. The markup is static; its script
 * (app-simulator-script.ts, served from the same origin) activates, pulls and answers requests.
 */
import { Page } from '../layout';

// What the people-facing layout does not style: the simulator's sections, request cards and messages.
const STYLE =
  'h2{font-size:1.1rem;margin:1.5rem 0 .5rem}' +
  '.check{display:flex;gap:.5rem;align-items:center;font-weight:500}.check input{width:auto;margin:0}' +
  'dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:.5rem 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}' +
  '.request{background:var(--bg);border-radius:12px;padding:1rem;margin:.75rem 0}.request h3{margin:0 0 .25rem;font-size:1.1rem}' +
  '.request .buttons{margin-top:.75rem}.request .match{flex:1}' +
  '.notice{background:var(--accent);color:#fff;border-radius:10px;padding:.6rem .8rem;margin:.75rem 0}' +
  '.result{font-weight:600}.result[data-result=accepted]{color:var(--ok)}.result[data-result=rejected],.result[data-result=refused]{color:var(--danger)}' +
  '.error{color:var(--danger)}' +
  '#deactivate{width:100%;margin-top:1rem}';

export function AppSimulatorPage(props: { scriptPath: string; msisdn?: string; nonce?: string }) {
  return (
    <Page title="App simulator" lang="en" nonce={props.nonce}>
      <style nonce={props.nonce}>{STYLE}</style>
      <h1>App simulator</h1>
      <p class="muted">
        Local development: this page is a companion app. It keeps a device key in this browser, gets sign-in requests by (simulated) push and
        answers them, signed, through the app API.
      </p>
      <noscript>
        <p class="error">The simulator needs JavaScript.</p>
      </noscript>
      <p id="message" aria-live="polite" data-testid="message" hidden></p>
      <p id="notice" class="notice" role="status" data-testid="push-notice" hidden></p>

      <section id="requests-section" aria-labelledby="requests-heading" hidden>
        <h2 id="requests-heading">Sign-in requests</h2>
        <p id="no-requests" class="muted">
          None yet. Call the API for this number and the request appears here.
        </p>
        <div id="requests" data-testid="requests"></div>
      </section>

      <section id="device-section" aria-labelledby="device-heading" data-testid="device-section" hidden>
        <h2 id="device-heading">This device</h2>
        <dl>
          <dt>Number</dt>
          <dd id="device-number" data-testid="device-number"></dd>
          <dt>Device id</dt>
          <dd id="device-id" data-testid="device-id"></dd>
          <dt>Push token</dt>
          <dd id="device-push-token" data-testid="device-push-token"></dd>
        </dl>
        <p id="poll-status" class="muted" data-testid="poll-status"></p>
        <button type="button" id="deactivate" class="reject" data-testid="deactivate">
          Deactivate this device
        </button>
      </section>

      <section id="activate-section" aria-labelledby="activate-heading" data-testid="activate-section" hidden>
        <h2 id="activate-heading">Activate</h2>
        <form id="activate-form">
          <label for="activate-input">Phone number or activation link</label>
          <div class="inline">
            <input
              id="activate-input"
              name="activation"
              value={props.msisdn ?? ''}
              placeholder="+46701234567"
              autocomplete="off"
              required
              aria-describedby="activate-hint"
              data-testid="activate-input"
            />
            <button type="submit" id="activate-button" data-testid="activate-button">
              Activate
            </button>
          </div>
          <p id="activate-hint" class="muted">
            A number gets a fresh activation link; or paste the activation link from an SMS in the <a href="/dev/phone">phone's inbox</a>.
          </p>
          <label class="check">
            <input type="checkbox" id="broken-push" aria-describedby="broken-push-hint" data-testid="broken-push" />
            Simulate a broken push token
          </label>
          <p id="broken-push-hint" class="muted">
            The push then fails as if the app were uninstalled: the server deactivates this device and the sign-in goes by SMS (see the phone's inbox).
          </p>
        </form>
      </section>
      <script src={props.scriptPath} nonce={props.nonce} defer></script>
    </Page>
  );
}
