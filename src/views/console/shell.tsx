/**
 * The console's page shell: document head (our own stylesheet and script, nothing third-party), the
 * navigation bar with the signed-in user, the flash message, and the one confirmation dialog that
 * console.js uses for deletions.
 */
import type { Child } from 'hono/jsx';
import type { Role, User } from '../../domain/user';
import { CONSOLE_CSS_PATH, CONSOLE_JS_PATH } from './assets';

export const ROLE_LABEL: Record<Role, string> = { user: 'Read-only', admin: 'Administrator', superadmin: 'Super administrator' };

export type Section = 'profiles' | 'assisted' | 'log' | 'devices' | 'audit' | 'users';

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath fill='%232255d4' d='M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5z'/%3E%3Cpath fill='none' stroke='%23fff' stroke-width='2.2' d='m8 12 3 3 5-6'/%3E%3C/svg%3E";

export function Logo() {
  return (
    <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5z" />
      <path fill="none" stroke="var(--surface)" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" d="m8 12 3 3 5-6" />
    </svg>
  );
}

/** The HTML document; every console page is one. */
export function ConsoleDocument(props: { title: string; bodyClass?: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · SFWA console`}</title>
        <link rel="icon" href={FAVICON} />
        <link rel="stylesheet" href={CONSOLE_CSS_PATH} />
        <script src={CONSOLE_JS_PATH} defer></script>
      </head>
      <body class={props.bodyClass}>{props.children}</body>
    </html>
  );
}

function NavLink(props: { href: string; current: boolean; children: Child; testid: string }) {
  return (
    <a href={props.href} aria-current={props.current ? 'page' : undefined} data-testid={props.testid}>
      {props.children}
    </a>
  );
}

export interface ShellProps {
  title: string;
  user: User;
  section?: Section;
  flash?: string;
  children: Child;
}

/** A signed-in page: navigation, flash, content. */
export function ConsoleShell(props: ShellProps) {
  const { user } = props;
  return (
    <ConsoleDocument title={props.title}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="/admin/profiles">
            <Logo />
            <span>
              SFWA<span class="brand-suffix"> console</span>
            </span>
          </a>
          <nav class="mainnav" aria-label="Main">
            <NavLink href="/admin/profiles" current={props.section === 'profiles'} testid="nav-profiles">
              Profiles
            </NavLink>
            <NavLink href="/admin/assisted" current={props.section === 'assisted'} testid="nav-assisted">
              Assisted login
            </NavLink>
            <NavLink href="/admin/log" current={props.section === 'log'} testid="nav-log">
              Authentication log
            </NavLink>
            <NavLink href="/admin/devices" current={props.section === 'devices'} testid="nav-devices">
              Devices
            </NavLink>
            <NavLink href="/admin/audit" current={props.section === 'audit'} testid="nav-audit">
              Audit log
            </NavLink>
            {user.role === 'superadmin' && (
              <NavLink href="/admin/users" current={props.section === 'users'} testid="nav-users">
                Users
              </NavLink>
            )}
          </nav>
          <div class="account">
            <p class="who">
              <span data-testid="current-user">{user.username}</span>
              <small data-testid="current-role">{ROLE_LABEL[user.role]}</small>
            </p>
            <form method="post" action="/admin/sign-out">
              <button class="button small" type="submit" data-testid="sign-out">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" class="container" tabindex={-1}>
        {props.flash && (
          <div class="alert ok flash" role="status" data-testid="flash">
            {props.flash}
          </div>
        )}
        {props.children}
      </main>
      <dialog id="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-message">
        <h2 id="confirm-title">Are you sure?</h2>
        <p id="confirm-message" data-confirm-message></p>
        <div class="actions end">
          <button type="button" class="button" value="cancel" autofocus>
            Cancel
          </button>
          <button type="button" class="button danger solid" value="confirm" data-confirm-ok>
            Delete
          </button>
        </div>
      </dialog>
      <div id="live" class="visually-hidden" aria-live="polite"></div>
    </ConsoleDocument>
  );
}

/** Breadcrumbs above a page title; the last entry is the current page. */
export function Breadcrumbs(props: { trail: { label: string; href?: string }[] }) {
  return (
    <nav class="breadcrumb" aria-label="Breadcrumb">
      <ol>
        {props.trail.map((step) => (
          <li>{step.href ? <a href={step.href}>{step.label}</a> : <span aria-current="page">{step.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/** A button that copies `text`; hidden until console.js can make it work. */
/** A secret shown once (a new API key, a callback secret): its label, the value and a copy button. */
export function ShownOnceSecret(props: { id: string; label: Child; value: string; copyLabel: string }) {
  return (
    <div>
      <p class="label" id={`${props.id}-label`}>
        {props.label}
      </p>
      <div class="secret">
        <code id={props.id} data-testid={props.id}>
          {props.value}
        </code>
        <CopyButton text={props.value} label={props.copyLabel} testid={`copy-${props.id}`} />
      </div>
    </div>
  );
}

export function CopyButton(props: { text: string; label: string; testid?: string }) {
  return (
    <button type="button" class="button small copy" data-copy={props.text} aria-label={props.label} hidden data-testid={props.testid}>
      <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect x="9" y="9" width="11" height="11" rx="2" fill="none" stroke="currentColor" stroke-width="2" />
        <path d="M5 15V5a2 2 0 0 1 2-2h8" fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
      <span class="copy-text">Copy</span>
    </button>
  );
}
