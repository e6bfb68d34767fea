/** "Are you sure?": a button that asks first, and the page it leads to without JavaScript. */
import type { User } from '../../domain/user';
import { Breadcrumbs, ConsoleShell, type Section } from './shell';

/**
 * A button that asks before it acts: with console.js a dialog asks and then POSTs to `action`;
 * without JavaScript the button GETs `action`, the confirmation page (hidden fields carry its query).
 */
export function ConfirmButton(props: {
  action: string;
  message: string;
  confirmLabel: string;
  label: string;
  ariaLabel?: string;
  testid: string;
  small?: boolean;
  hidden?: Record<string, string>;
}) {
  return (
    <form method="get" action={props.action} data-confirm={props.message} data-confirm-label={props.confirmLabel}>
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button class={props.small ? 'button small danger' : 'button danger'} type="submit" data-testid={props.testid} aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </form>
  );
}

export function ConfirmPage(props: {
  user: User;
  title: string;
  message: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
  trail: { label: string; href?: string }[];
  section?: Section;
}) {
  return (
    <ConsoleShell title={props.title} user={props.user} section={props.section ?? 'profiles'}>
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

/** A list row's Action cell: Edit, and Delete (asking first) unless `deletable` is false. */
export function EditDeleteCell(props: { name: string; editHref: string; deleteAction: string; deleteMessage: string; confirmLabel: string; testid: string; deletable?: boolean }) {
  return (
    <td data-label="Action">
      <div class="actions">
        <a class="button small" href={props.editHref} data-testid={`edit-${props.testid}`} aria-label={`Edit ${props.name}`}>
          Edit
        </a>
        {props.deletable !== false && (
          <ConfirmButton
            action={props.deleteAction}
            message={props.deleteMessage}
            confirmLabel={props.confirmLabel}
            label="Delete"
            ariaLabel={`Delete ${props.name}`}
            testid={`delete-${props.testid}`}
            small
          />
        )}
      </div>
    </td>
  );
}
