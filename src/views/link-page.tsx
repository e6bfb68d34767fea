/** The magic-link pages: the decision form, the answer, and the pages for links that no longer work. */
import type { RequestContext } from '../auth-session/session-state';
import type { UserMessages } from '../domain/profile';
import { requestTime, type Locale, type PageTexts } from '../domain/texts';
import { Page } from './layout';

export function DecisionPage(props: {
  messages: UserMessages;
  texts: PageTexts;
  locale: Locale;
  profileName: string;
  deadlineMs: number;
  matchChoices: string[] | null;
  context: RequestContext;
  /** "This wasn't me": offered to the person signing in, not to an approver deciding about someone else. */
  allowReport: boolean;
  nonce?: string;
  error?: string;
}) {
  const { messages, texts, context } = props;
  const secondsLeft = Math.max(0, Math.round((props.deadlineMs - Date.now()) / 1000));
  return (
    <Page title={messages.titleText} lang={props.locale} nonce={props.nonce}>
      <h1>{messages.titleText}</h1>
      <p>{messages.authenticationText}</p>
      {/* Who asked, when and from about where: an unexpected request should stand out. */}
      <p class="muted" data-testid="request-context">
        {texts.from}: <strong>{props.profileName}</strong> · {texts.requestedAt} {requestTime(props.locale, context.requestedAtMs)}
        {context.location && ` ${texts.near} ${context.location}`}
      </p>
      <p class="muted">
        {texts.timeLeft}: <span id="left" data-deadline={String(props.deadlineMs)}>{secondsLeft}</span> s
      </p>
      {props.error && <p role="alert">{props.error}</p>}
      {/* POST to this same URL: GET never decides, because SMS apps and link previewers fetch links. */}
      {props.matchChoices ? (
        <form method="post">
          <p>
            <strong>{texts.matchPrompt}</strong>
          </p>
          <input type="hidden" name="decision" value="accept" />
          <div class="buttons">
            {props.matchChoices.map((choice) => (
              <button class="match" type="submit" name="match" value={choice} data-testid="match-choice">
                {choice}
              </button>
            ))}
          </div>
        </form>
      ) : null}
      <form method="post">
        <div class="buttons">
          {!props.matchChoices && (
            <button class="accept" type="submit" name="decision" value="accept">
              {messages.buttonAcceptText}
            </button>
          )}
          <button class="reject" type="submit" name="decision" value="reject">
            {messages.buttonRejectText}
          </button>
        </div>
        {props.allowReport && (
          <>
            <button class="report" type="submit" name="decision" value="report" aria-describedby="report-hint">
              {texts.report}
            </button>
            <p class="muted" id="report-hint">
              {texts.reportHint}
            </p>
          </>
        )}
      </form>
      <script nonce={props.nonce}>{`(()=>{const e=document.getElementById('left');const d=+e.dataset.deadline;const t=()=>{const s=Math.max(0,Math.round((d-Date.now())/1000));e.textContent=s;if(s>0)setTimeout(t,1000)};t()})()`}</script>
    </Page>
  );
}

export function MessagePage(props: { icon: string; title: string; text: string; locale: Locale; nonce?: string }) {
  return (
    <Page title={props.title} lang={props.locale} nonce={props.nonce}>
      <p class="status" aria-hidden="true">
        {props.icon}
      </p>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
    </Page>
  );
}
