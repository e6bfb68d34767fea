/** "Are you sure?" as a page: where a Delete button leads without JavaScript (with it, a dialog asks instead). */
import type { User } from '../../domain/user';
import { Breadcrumbs, ConsoleShell } from './shell';

export function ConfirmPage(props: {
  user: User;
  title: string;
  message: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
  trail: { label: string; href?: string }[];
}) {
  return (
    <ConsoleShell title={props.title} user={props.user} section="profiles">
      <Breadcrumbs trail={props.trail} />
      <div class="card narrow-card stack" data-testid="confirm-page">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <form method="post" action={props.action} class="actions">
          <button class="button danger solid" type="submit" data-testid="confirm-delete">
            {props.confirmLabel}
          </button>
          <a class="button" href={props.cancelHref}>
            Cancel
          </a>
        </form>
      </div>
    </ConsoleShell>
  );
}
