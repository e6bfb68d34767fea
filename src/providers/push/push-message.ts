/** What a push to the companion app carries: the request as the app shows it. Types only. */
export interface PushMessage {
  /** The authentication session id (not secret). */
  sessionId: string;
  /** Notification title. */
  title: string;
  /** Authentication text. */
  body: string;
  acceptLabel: string;
  rejectLabel: string;
  /** Which endpoint profile asked. */
  profileName: string;
  /** Epoch milliseconds after which the answer no longer counts. */
  deadlineMs: number;
  /** The app must ask the user to pick a number (number matching). */
  matchRequired: boolean;
  /** With number matching: the three numbers the app offers (the right one among them; which one is not said). */
  matchChoices?: string[];
  context?: { location?: string; requestedAtMs: number };
}
