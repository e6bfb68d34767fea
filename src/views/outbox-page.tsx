/** Local development: the recorded SMS messages of one number, shown like a phone's inbox. */
import type { OutboxMessage } from '../providers/sms/outbox';
import { Page } from './layout';

/** The SMS text with every link in it clickable (the magic link, and an activation link when there is one). */
function MessageText(props: { text: string }) {
  return (
    <>
      {props.text.split(/(https?:\/\/\S+)/).map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}
    </>
  );
}

export function OutboxPage(props: { msisdn: string | null; messages: OutboxMessage[]; nonce?: string }) {
  return (
    <Page title="Local SMS outbox" lang="en" nonce={props.nonce}>
      <h1>Local SMS outbox</h1>
      <p class="muted">Local development: the messages the service would have sent by SMS.</p>
      <p><a href={props.msisdn ? `/dev/app?msisdn=${encodeURIComponent(props.msisdn)}` : '/dev/app'}>Open the app simulator</a></p>
      <form method="get" action="/dev/phone">
        <label for="msisdn">Phone number</label>
        <div class="inline">
          <input id="msisdn" name="msisdn" value={props.msisdn ?? ''} placeholder="+46701234567" inputmode="tel" autocomplete="tel" />
          <button type="submit">Show</button>
        </div>
      </form>
      {props.msisdn && props.messages.length === 0 && <p class="muted">No messages to {props.msisdn} yet. Reload after calling the API.</p>}
      {props.messages.map((message) => (
        <article class="bubble">
          <p class="sms-text">
            <MessageText text={message.text} />
          </p>
          <p class="muted">
            To {message.to} · <time datetime={message.sentAt}>{new Date(message.sentAt).toLocaleTimeString('en-GB', { timeZone: 'UTC' })} UTC</time>
          </p>
        </article>
      ))}
    </Page>
  );
}
