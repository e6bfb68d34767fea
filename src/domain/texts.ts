/** Built-in texts in English and Swedish; a profile's or request's own text wins where it is set. */
import { fillPlaceholders } from './assisted-login';
import type { UserMessages } from './profile';

export type Locale = 'en' | 'sv';

const BUILT_IN = {
  en: {
    lang: 'en',
    messages: {
      titleText: 'Sign-in request',
      smsText: 'Approve sign-in:',
      buttonAcceptText: 'Accept',
      buttonRejectText: 'Reject',
      authenticationText: 'Someone is signing in with your phone number. Approve only if it is you.',
      touchAcceptedText: 'You approved the sign-in. You can close this page.',
      touchRejectedText: 'You rejected the sign-in. Nobody was let in.',
    },
    pages: {
      timeLeft: 'Time left',
      expiredTitle: 'This link has expired',
      expiredText: 'The sign-in request timed out. Start the sign-in again to get a new link.',
      usedTitle: 'This link has already been used',
      usedText: 'The request was already answered. Each link works only once.',
      cancelledTitle: 'This request was cancelled',
      cancelledText: 'The sign-in was abandoned before you answered, so the link no longer works.',
      notFoundTitle: 'Link not found',
      notFoundText: 'This link is not valid. Check that you opened the whole link from the message.',
      acceptedTitle: 'Approved',
      rejectedTitle: 'Rejected',
      badDecision: 'Choose Accept or Reject.',
      activateApp: 'Get the app for one-tap approval:',
      from: 'Requested by',
      requestedAt: 'Requested',
      near: 'near',
      report: "This wasn't me",
      reportHint: "Didn't start a sign-in? Report it: the request is rejected and the service is warned.",
      reportedTitle: 'Reported',
      reportedText: 'Thank you. The sign-in was rejected and reported as not started by you.',
      matchPrompt: 'Which number is shown where you are signing in? Tap it to approve.',
      matchMismatchTitle: 'Wrong number',
      matchMismatchText: 'That was not the number shown. To be safe, the sign-in was rejected. Start again if it was you.',
      pageNotFoundTitle: 'Page not found',
      pageNotFoundText: 'There is nothing at this address. If you followed a link from a message, check that you opened all of it.',
    },
  },
  sv: {
    lang: 'sv',
    messages: {
      titleText: 'Inloggningsbegäran',
      smsText: 'Godkänn inloggning:',
      buttonAcceptText: 'Godkänn',
      buttonRejectText: 'Neka',
      authenticationText: 'Någon loggar in med ditt telefonnummer. Godkänn bara om det är du.',
      touchAcceptedText: 'Du godkände inloggningen. Du kan stänga sidan.',
      touchRejectedText: 'Du nekade inloggningen. Ingen släpptes in.',
    },
    pages: {
      timeLeft: 'Tid kvar',
      expiredTitle: 'Länken har gått ut',
      expiredText: 'Inloggningsbegäran tog för lång tid. Börja om inloggningen för att få en ny länk.',
      usedTitle: 'Länken är redan använd',
      usedText: 'Begäran är redan besvarad. Varje länk fungerar bara en gång.',
      cancelledTitle: 'Begäran avbröts',
      cancelledText: 'Inloggningen avbröts innan du svarade, så länken fungerar inte längre.',
      notFoundTitle: 'Länken hittades inte',
      notFoundText: 'Länken är ogiltig. Kontrollera att du öppnade hela länken från meddelandet.',
      acceptedTitle: 'Godkänd',
      rejectedTitle: 'Nekad',
      badDecision: 'Välj Godkänn eller Neka.',
      activateApp: 'Skaffa appen och godkänn med ett tryck:',
      from: 'Begärd av',
      requestedAt: 'Begärd',
      near: 'nära',
      report: 'Det var inte jag',
      reportHint: 'Har du inte börjat logga in? Rapportera det: begäran nekas och tjänsten varnas.',
      reportedTitle: 'Rapporterad',
      reportedText: 'Tack. Inloggningen nekades och rapporterades som inte påbörjad av dig.',
      matchPrompt: 'Vilket nummer visas där du loggar in? Tryck på det för att godkänna.',
      matchMismatchTitle: 'Fel nummer',
      matchMismatchText: 'Det var inte numret som visades. Inloggningen nekades för säkerhets skull. Börja om om det var du.',
      pageNotFoundTitle: 'Sidan finns inte',
      pageNotFoundText: 'Det finns inget på den här adressen. Om du följde en länk från ett meddelande, kontrollera att du öppnade hela länken.',
    },
  },
} as const;

/** The activation link's page (/plus/activate/{code}). */
const ACTIVATION_PAGE = {
  en: {
    activateTitle: 'Activate the app',
    activateText: (number: string) =>
      `Open this link on your phone with the app installed, then tap the button. Sign-in requests for ${number} will then come to the app instead of by SMS.`,
    openApp: 'Open the app',
    validFor: (minutes: number) => `The link works once, for ${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}.`,
    noApp: 'Nothing happens? Install the app first, then open this link again.',
    usedTitle: 'This activation link has already been used',
    usedText: 'Each activation link works once. Ask for a new one to activate another phone.',
    expiredTitle: 'This activation link has expired',
    expiredText: 'Activation links work for a short time only. Ask for a new one.',
    notFoundTitle: 'Activation link not found',
    notFoundText: 'This link is not valid. Check that you opened the whole link from the message.',
  },
  sv: {
    activateTitle: 'Aktivera appen',
    activateText: (number: string) =>
      `Öppna den här länken i telefonen där appen är installerad och tryck på knappen. Inloggningsbegäranden för ${number} kommer sedan till appen i stället för via sms.`,
    openApp: 'Öppna appen',
    validFor: (minutes: number) => `Länken fungerar en gång, i ${minutes} ${minutes === 1 ? 'minut' : 'minuter'} till.`,
    noApp: 'Händer inget? Installera appen först och öppna sedan länken igen.',
    usedTitle: 'Aktiveringslänken är redan använd',
    usedText: 'Varje aktiveringslänk fungerar en gång. Be om en ny för att aktivera en annan telefon.',
    expiredTitle: 'Aktiveringslänken har gått ut',
    expiredText: 'Aktiveringslänkar fungerar bara en kort stund. Be om en ny.',
    notFoundTitle: 'Aktiveringslänken hittades inte',
    notFoundText: 'Länken är ogiltig. Kontrollera att du öppnade hela länken från meddelandet.',
  },
} satisfies Record<Locale, Record<string, unknown>>;

export const activationPageTexts = (locale: Locale) => ACTIVATION_PAGE[locale];

/** SMS about the companion app: an administrator's activation link, and the notice every activation sends. */
const DEVICE_SMS = {
  en: {
    activationInvite: (url: string) => `Activate the app to approve sign-ins for this number: ${url}`,
    newDeviceNotice: (device: string, url: string) => `A new device (${device}) can now approve sign-ins for this number. If this wasn't you, deactivate it: ${url}`,
  },
  sv: {
    activationInvite: (url: string) => `Aktivera appen för att godkänna inloggningar för det här numret: ${url}`,
    newDeviceNotice: (device: string, url: string) => `En ny enhet (${device}) kan nu godkänna inloggningar för det här numret. Var det inte du? Inaktivera den: ${url}`,
  },
} satisfies Record<Locale, Record<string, unknown>>;

export const deviceSmsTexts = (locale: Locale) => DEVICE_SMS[locale];

/** The page of the notice's deactivation link (/plus/deactivate/{code}). */
const DEACTIVATION_PAGE = {
  en: {
    title: 'Deactivate this device?',
    text: (device: string, number: string, activatedAt: string) =>
      `${device} was activated for ${number} on ${activatedAt} and can approve sign-ins for it. If you did not activate it, deactivate it: sign-in requests then come by SMS again.`,
    button: 'Deactivate the device',
    doneTitle: 'Device deactivated',
    doneText: 'It can no longer approve sign-ins for this number; requests come by SMS again. If someone else activated it, tell the service you sign in to.',
    goneTitle: 'This link no longer works',
    goneText: 'The device has already been deactivated, or activated again with a new notice.',
  },
  sv: {
    title: 'Inaktivera enheten?',
    text: (device: string, number: string, activatedAt: string) =>
      `${device} aktiverades för ${number} den ${activatedAt} och kan godkänna inloggningar för numret. Om det inte var du som aktiverade den, inaktivera den: då kommer inloggningsbegäranden via sms igen.`,
    button: 'Inaktivera enheten',
    doneTitle: 'Enheten är inaktiverad',
    doneText: 'Den kan inte längre godkänna inloggningar för numret; begäranden kommer via sms igen. Om någon annan aktiverade den, berätta det för tjänsten du loggar in på.',
    goneTitle: 'Länken fungerar inte längre',
    goneText: 'Enheten är redan inaktiverad, eller har aktiverats igen med ett nytt meddelande.',
  },
} satisfies Record<Locale, Record<string, unknown>>;

export const deactivationPageTexts = (locale: Locale) => DEACTIVATION_PAGE[locale];

export type PageTexts = (typeof BUILT_IN)[Locale]['pages'];

export const pageTexts = (locale: Locale): PageTexts => BUILT_IN[locale].pages;

/** What the approver reads in assisted login: plainly that they approve someone else's sign-in. */
const ASSISTED_BUILT_IN: Record<Locale, UserMessages> = {
  en: {
    titleText: 'Approve a sign-in for {user}',
    smsText: '{user} asks you to approve a sign-in:',
    buttonAcceptText: 'Approve for {user}',
    buttonRejectText: 'Reject',
    authenticationText: "{user} is signing in to {endpoint} and needs your approval.\nYou are approving someone else's sign-in: approve only if you know it is {user} asking.",
    touchAcceptedText: 'You approved the sign-in for {user}. You can close this page.',
    touchRejectedText: 'You rejected the sign-in for {user}. They were not let in.',
  },
  sv: {
    titleText: 'Godkänn en inloggning för {user}',
    smsText: '{user} ber dig godkänna en inloggning:',
    buttonAcceptText: 'Godkänn för {user}',
    buttonRejectText: 'Neka',
    authenticationText: '{user} loggar in på {endpoint} och behöver ditt godkännande.\nDu godkänner någon annans inloggning: godkänn bara om du vet att det är {user} som frågar.',
    touchAcceptedText: 'Du godkände inloggningen för {user}. Du kan stänga sidan.',
    touchRejectedText: 'Du nekade inloggningen för {user}. Hen släpptes inte in.',
  },
};

/**
 * Fills each empty message with the built-in text of the locale. For an approver (assisted login) the
 * built-in texts are the assisted ones, and {user} and {endpoint} are filled in every text, given or built in.
 */
export function withBuiltInTexts(messages: UserMessages, locale: Locale, assisted: { user: string; endpoint: string } | null = null): UserMessages {
  const builtIn = assisted ? ASSISTED_BUILT_IN[locale] : BUILT_IN[locale].messages;
  const filled = { ...messages };
  for (const key of Object.keys(builtIn) as (keyof UserMessages)[]) {
    if (!filled[key]) filled[key] = builtIn[key];
    if (assisted) filled[key] = fillPlaceholders(filled[key], assisted);
  }
  return filled;
}

/** The page's language from Accept-Language: Swedish when preferred over English, English otherwise. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { language: tag.split('-')[0], quality: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.language === 'sv' || entry.language === 'en')
    .sort((a, b) => b.quality - a.quality);
  return ranked[0]?.language === 'sv' && ranked[0].quality > 0 ? 'sv' : 'en';
}

/** The SMS is written before anyone opens a page, so its language follows the number: Swedish for +46. */
export const localeForMsisdn = (e164: string): Locale => (e164.startsWith('+46') ? 'sv' : 'en');

export const smsBody = (smsText: string, link: string): string => `${smsText} ${link}`;

/** The line an SMS to a number without the app ends with, when the profile offers activation links. */
export const activationSmsLine = (locale: Locale, activationUrl: string): string => `${BUILT_IN[locale].pages.activateApp} ${activationUrl}`;

/** When the request was made, as the reader's clock shows it: Swedish readers in Swedish time, others in UTC. */
export function requestTime(locale: Locale, atMs: number): string {
  const timeZone = locale === 'sv' ? 'Europe/Stockholm' : 'UTC';
  const time = new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(atMs);
  return locale === 'sv' ? time : `${time} UTC`;
}
