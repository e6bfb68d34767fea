/** The console's sign-in page. */
import { ErrorSummary, TextField, type FormState } from './form-fields';
import { ConsoleDocument, Logo } from './shell';

/** "45 seconds", "2 minutes", "1 hour": a wait as a person reads it, rounded up. */
export function waitInWords(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return unit(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return unit(Math.ceil(seconds / 60), 'minute');
  return unit(Math.ceil(seconds / 3600), 'hour');
}

export function SignInPage(props: { form: FormState; next: string; notice?: string; refused?: boolean; throttledForSeconds?: number }) {
  const { form } = props;
  // Field errors (a missing field) are shown beside the fields; "wrong username or password" above them.
  const fieldErrors = { ...form.errors };
  delete fieldErrors['(body)'];
  return (
    <ConsoleDocument title="Sign in" bodyClass="centered">
      <main id="main" class="signin">
        <div class="card signin-card">
          <p class="brand big">
            <Logo />
            <span>SFWA console</span>
          </p>
          <h1>Sign in</h1>
          <p class="muted">Manage endpoint profiles and API tokens for out-of-band authentication.</p>
          {props.notice && (
            <div class="alert info" role="status" data-testid="sign-in-notice">
              {props.notice}
            </div>
          )}
          {props.refused && (
            <div class="alert error" role="alert" data-testid="sign-in-error">
              Wrong username or password. Check both and try again.
            </div>
          )}
          {props.throttledForSeconds !== undefined && (
            <div class="alert error" role="alert" data-testid="sign-in-throttled">
              Too many failed sign-in attempts for this account or from your network. Try again in {waitInWords(props.throttledForSeconds)}.
            </div>
          )}
          <ErrorSummary title="Fill in both fields to sign in" errors={fieldErrors} fields={{ username: ['username', 'Username'], password: ['password', 'Password'] }} />
          <form method="post" action="/admin/sign-in" data-testid="sign-in-form">
            <input type="hidden" name="next" value={props.next} />
            <TextField id="username" name="username" label="Username" form={form} required autocomplete="username" />
            <TextField id="password" name="password" label="Password" type="password" form={form} required autocomplete="current-password" />
            <button class="button primary block" type="submit" data-testid="sign-in-submit">
              Sign in
            </button>
          </form>
        </div>
      </main>
    </ConsoleDocument>
  );
}
