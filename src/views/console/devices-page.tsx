/**
 * Companion-app devices: look up a phone number's devices (any signed-in user) and how each was
 * activated, deactivate one and send an activation link by SMS to a number (administrators; the link
 * itself is never shown). Nothing here ever shows a push token or a key.
 */
import type { AdminDeviceView } from '../../admin/devices';
import { ACTIVATION_LINK_TTL_MINUTES } from '../../domain/constants';
import type { User } from '../../domain/user';
import { ConfirmButton, ConfirmPage } from './confirm-page';
import { ErrorSummary, TextField, type FormState } from './form-fields';
import { Breadcrumbs, ConsoleShell, CopyButton } from './shell';
import { formatUtc } from './token-views';

const PLATFORM_LABEL: Record<AdminDeviceView['platform'], string> = { android: 'Android', ios: 'iOS', web: 'Web' };
const NUMBER_HINT = 'International format, e.g. +46701234567.';

/** How a device came to be activated, in words for the Devices table. */
export function activatedHow(device: Pick<AdminDeviceView, 'activatedVia' | 'activatedBy'>): string {
  switch (device.activatedVia) {
    case 'sign-in-sms':
      return 'With the link in a sign-in SMS';
    case 'admin-sms':
      return `With a link sent by SMS at ${device.activatedBy ?? 'an administrator'}’s request`;
    case 'dev-simulator':
      return 'In the local app simulator';
    case 'unknown':
      return 'Before activations were recorded';
  }
}

/** The console's device URLs; `msisdn` brings the page back to that number's list. */
export const devicePaths = {
  list: (msisdn?: string): string => `/admin/devices${msisdn ? `?${new URLSearchParams({ msisdn })}` : ''}`,
  activations: '/admin/devices/activations',
  deactivate: (id: string, msisdn?: string): string =>
    `/admin/devices/${encodeURIComponent(id)}/deactivate${msisdn ? `?${new URLSearchParams({ msisdn })}` : ''}`,
};

export const deviceName = (device: AdminDeviceView): string => device.label || `Unnamed ${PLATFORM_LABEL[device.platform]} device`;

function When(props: { date: Date | null }) {
  if (!props.date) return <span class="muted">Never</span>;
  return <time datetime={props.date.toISOString()}>{formatUtc(props.date)}</time>;
}

export interface DevicesPageProps {
  user: User;
  canEdit: boolean;
  flash?: string;
  /** The lookup form, as typed, with its errors. */
  lookup: FormState;
  /** The looked-up number's devices; null when no number was looked up (or it was refused). */
  result: { msisdn: string; msisdnMasked: string; devices: AdminDeviceView[] } | null;
  activation: FormState;
}

function DeviceTable(props: { result: NonNullable<DevicesPageProps['result']>; canEdit: boolean }) {
  const { result, canEdit } = props;
  return (
    <section class="panel" aria-labelledby="devices-title" data-testid="device-result">
      <h2 class="panel-title" id="devices-title">
        Devices of <span data-testid="device-number">{result.msisdnMasked}</span>
      </h2>
      <div class="table-wrap">
        <table class="responsive" data-testid="device-table">
          <caption class="visually-hidden">Companion-app devices of {result.msisdnMasked}</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Platform</th>
              <th scope="col">Number</th>
              <th scope="col">Activated</th>
              <th scope="col">How</th>
              <th scope="col">Last seen</th>
              {canEdit && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {result.devices.length === 0 && (
              <tr>
                <td colspan={canEdit ? 7 : 6} class="empty" data-testid="no-devices">
                  No devices are activated for this number.
                </td>
              </tr>
            )}
            {result.devices.map((device) => (
              <tr data-testid="device-row" data-device={device.id}>
                <td data-label="Device">
                  <span class="strong">{deviceName(device)}</span>
                </td>
                <td data-label="Platform">{PLATFORM_LABEL[device.platform]}</td>
                <td data-label="Number">{device.msisdnMasked}</td>
                <td data-label="Activated">
                  <When date={device.createdAt} />
                </td>
                <td data-label="How" data-testid="device-activated-how">
                  {activatedHow(device)}
                </td>
                <td data-label="Last seen">
                  <When date={device.lastSeenAt} />
                </td>
                {canEdit && (
                  <td data-label="Action">
                    {/* Without JavaScript a GET to the confirmation page (which replaces the action's query with the hidden field); with it, console.js asks and POSTs to the action. */}
                    <ConfirmButton
                      action={devicePaths.deactivate(device.id, result.msisdn)}
                      message={`Deactivate “${deviceName(device)}”? It stops receiving sign-in requests at once and needs a new activation link to come back.`}
                      confirmLabel="Deactivate"
                      label="Deactivate"
                      ariaLabel={`Deactivate ${deviceName(device)}`}
                      testid="deactivate-device"
                      hidden={{ msisdn: result.msisdn }}
                      small
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function DevicesPage(props: DevicesPageProps) {
  const { canEdit } = props;
  return (
    <ConsoleShell title="Devices" user={props.user} section="devices" flash={props.flash}>
      <div class="page-head">
        <div>
          <h1>Companion-app devices</h1>
          <p>Sign-in requests to a number with an activated device can go to the companion app instead of by SMS, where the endpoint profile allows it.</p>
        </div>
      </div>
      <div class="grid-2">
        <section class="card" aria-labelledby="lookup-title">
          <h2 id="lookup-title">Look up a number</h2>
          <form method="get" action="/admin/devices" class="inline-form" data-testid="device-lookup-form">
            <TextField id="lookup-msisdn" name="msisdn" label="Phone number" form={props.lookup} required autocomplete="off" placeholder="+46701234567" hint={NUMBER_HINT} />
            <button class="button primary" type="submit">
              Look up
            </button>
          </form>
        </section>
        {canEdit && (
          <section class="card" aria-labelledby="activation-title">
            <h2 id="activation-title">Send an activation link</h2>
            <ErrorSummary id="activation-errors" errors={props.activation.errors} fields={{ msisdn: ['activation-msisdn', 'Phone number'] }} title="No link was sent" />
            <form method="post" action={devicePaths.activations} data-testid="create-activation-form">
              <TextField
                id="activation-msisdn"
                name="msisdn"
                label="Phone number"
                form={props.activation}
                required
                placeholder="+46701234567"
                hint={`${NUMBER_HINT} The link goes by SMS to this number, not to you, so only the phone's holder can activate. It works once, for ${ACTIVATION_LINK_TTL_MINUTES} minutes, opened on that phone with the app installed.`}
              />
              <button class="button primary" type="submit" data-testid="send-activation">
                Send activation link by SMS
              </button>
            </form>
          </section>
        )}
      </div>
      {props.result && <DeviceTable result={props.result} canEdit={canEdit} />}
    </ConsoleShell>
  );
}

/** The answer to the sending POST: the link went by SMS to the number; the administrator never sees it. */
export function ActivationLinkSentPage(props: { user: User; expiresAt: Date; msisdn: string; msisdnMasked: string }) {
  return (
    <ConsoleShell title="Activation link sent" user={props.user} section="devices">
      <Breadcrumbs trail={[{ label: 'Devices', href: devicePaths.list() }, { label: 'Activation link sent' }]} />
      <div class="page-head">
        <h1>Activation link sent to {props.msisdnMasked}</h1>
      </div>
      <div class="card stack narrow-card">
        <div class="alert ok" role="status" data-testid="activation-sent">
          An activation link was sent by SMS to <strong>{props.msisdnMasked}</strong>. Ask the person to open it on that phone, with the app installed, before{' '}
          {formatUtc(props.expiresAt)}. It works once.
        </div>
        <p class="hint">
          The link is sent only to the number itself, so only whoever holds the phone can activate. When they do, the number also gets an SMS notice with a
          link to deactivate the device if it was not them.
        </p>
        <dl class="facts">
          <dt>Number</dt>
          <dd>{props.msisdnMasked}</dd>
          <dt>Link works until</dt>
          <dd>{formatUtc(props.expiresAt)}</dd>
        </dl>
        <p class="actions">
          <a class="button primary" href={devicePaths.list(props.msisdn)} data-testid="activation-done">
            Done — back to devices
          </a>
        </p>
      </div>
    </ConsoleShell>
  );
}

/** "Are you sure?" as a page: where Deactivate leads without JavaScript. */
export function DeactivateConfirmPage(props: { user: User; device: AdminDeviceView; msisdn?: string }) {
  const name = deviceName(props.device);
  return (
    <ConfirmPage
      user={props.user}
      section="devices"
      title={`Deactivate “${name}”?`}
      message={`The ${PLATFORM_LABEL[props.device.platform]} device of ${props.device.msisdnMasked} stops receiving sign-in requests at once. Activating it again needs a new activation link.`}
      action={devicePaths.deactivate(props.device.id, props.msisdn)}
      confirmLabel="Deactivate device"
      cancelHref={devicePaths.list(props.msisdn)}
      trail={[{ label: 'Devices', href: devicePaths.list(props.msisdn) }, { label: 'Deactivate device' }]}
    />
  );
}
