/**
 * Sign-in through Cloudflare Access: a valid Access token whose identity ACCESS_ROLES maps to a role
 * signs its holder in as a console account named by their email. The account row is created on first
 * sign-in and its role follows the mapping on every request, so changing ACCESS_ROLES takes effect at
 * once; a super administrator can still disable it. It has no usable password (only Access signs it in).
 */
import type { User } from '../domain/user';
import type { Env } from '../env';
import { accessConfig, roleForIdentity, verifyAccessToken } from '../security/cloudflare-access';
import type { Database } from '../store/db';
import { findUserByUsername, insertUser, updateUser } from '../store/users';
import { recordAudit } from './audit';
import { logEvent } from '../observability/log';

/** Who the audit log says changed an account that ACCESS_ROLES created or re-roled. */
export const ACCESS_ACTOR = '(Cloudflare Access)';

/** Not a PBKDF2 hash, so verifyPassword() never accepts any password for an Access account. */
export const ACCESS_ONLY_PASSWORD_HASH = 'cloudflare-access-only';

export async function accessSignIn(db: Database, env: Env, token: string | undefined, address: string | null): Promise<User | null> {
  const config = token ? accessConfig(env) : null;
  if (!config) return null;
  const identity = await verifyAccessToken(token, config);
  if (!identity) return null;
  const role = roleForIdentity(identity, config.roles);
  if (!role) {
    logEvent('warn', 'admin.access_no_role', { domain: identity.email.slice(identity.email.indexOf('@')) });
    return null;
  }
  const username = identity.email.toLowerCase();
  const existing = await findUserByUsername(db, username);
  // Access changes accounts on its own: the audit log names it as the one who did.
  const byAccess = { username: ACCESS_ACTOR, address };
  if (!existing) {
    const created = await insertUser(db, { username, passwordHash: ACCESS_ONLY_PASSWORD_HASH, role });
    await recordAudit(db, byAccess, 'user.create', username, { role: { to: role } });
    return created;
  }
  if (existing.disabled) return null;
  if (existing.role === role) return existing;
  const updated = await updateUser(db, existing.id, { role });
  await recordAudit(db, byAccess, 'user.update', username, { role: { from: existing.role, to: role } });
  return updated;
}
