/**
 * One Workers Analytics Engine data point per settled authentication, when the optional ANALYTICS
 * binding is configured (README "Observability" has example queries). Nothing in it identifies a person.
 *   index1: endpoint (the sampling key)
 *   blob1 endpoint, blob2 outcome (ACCEPT, REJECT, TIMEOUT, CANCELLED, DELIVERY_FAILED), blob3 channel
 *   (sms, push), blob4 provider (46elks, twilio, sinch, or the push provider), blob5 reason ("" if none)
 *   double1: duration in ms, from start to settling
 */
import { logOutcome, type SessionState } from '../auth-session/session-state';

export function settledDataPoint(state: SessionState, pushProvider: string | undefined): AnalyticsEngineDataPoint | null {
  const outcome = logOutcome(state.status);
  if (outcome === null || state.settledAtMs === null) return null;
  const recipient = state.recipients[state.answeredRecipient ?? 0];
  const provider = state.channel === 'push' ? (pushProvider ?? '') : (recipient?.sms?.provider ?? '');
  return {
    indexes: [state.profileName],
    blobs: [state.profileName, outcome, state.channel, provider, state.reason ?? ''],
    doubles: [state.settledAtMs - state.createdAtMs],
  };
}
