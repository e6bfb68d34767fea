/** Pages for what could not be shown or done: 403, 404, a refused request, an internal error. */
import type { User } from '../../domain/user';
import { ConsoleDocument, ConsoleShell, Logo } from './shell';

export interface StatusPageProps {
  status: number;
  title: string;
  message: string;
  /** Known when the visitor is signed in: the page then keeps the navigation. */
  user?: User;
}

function Body(props: StatusPageProps) {
  return (
    <div class="status-page" data-testid={`status-${props.status}`}>
      <p class="status-code" aria-hidden="true">
        {props.status}
      </p>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p class="actions">
        <a class="button primary" href="/admin/profiles">
          Go to profiles
        </a>
      </p>
    </div>
  );
}

export function StatusPage(props: StatusPageProps) {
  if (props.user) {
    return (
      <ConsoleShell title={props.title} user={props.user}>
        <Body {...props} />
      </ConsoleShell>
    );
  }
  return (
    <ConsoleDocument title={props.title} bodyClass="centered">
      <main id="main" class="container narrow">
        <p class="brand">
          <Logo />
          <span>SFWA console</span>
        </p>
        <Body {...props} />
      </main>
    </ConsoleDocument>
  );
}
