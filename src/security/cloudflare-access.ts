/**
 * Optional sign-in through Cloudflare Access. When ACCESS_TEAM_DOMAIN and ACCESS_AUD are set, a request
 * carrying a valid `Cf-Access-Jwt-Assertion` (RS256, signed by the team's keys, right audience and issuer,
 * not expired) signs its holder in with the role that ACCESS_ROLES gives their email, email domain or group.
 * Keys come from https://<team>.cloudflareaccess.com/cdn-cgi/access/certs; jose caches them and
 * fetches again when a token names a key it does not know (Access rotates keys).
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as z from '../domain/zod';
import { ROLES, hasRole, type Role } from '../domain/user';
import type { Env } from '../env';
import { logEvent } from '../observability/log';

export const ACCESS_JWT_HEADER = 'cf-access-jwt-assertion';

/** ACCESS_ROLES: `{"alice@example.com":"superadmin","@example.com":"user","group:sfwa-admins":"admin"}` */
const roleMapSchema = z.record(z.string().check(z.minLength(1)), z.enum(ROLES));
export type AccessRoleMap = z.infer<typeof roleMapSchema>;

export interface AccessConfig {
  teamDomain: string;
  audience: string;
  roles: AccessRoleMap;
}

export interface AccessIdentity {
  email: string;
  groups: string[];
}

/** The configuration, or null when Access sign-in is not set up. A malformed ACCESS_ROLES is a setup error. */
export function accessConfig(env: Pick<Env, 'ACCESS_TEAM_DOMAIN' | 'ACCESS_AUD' | 'ACCESS_ROLES'>): AccessConfig | null {
  if (!env.ACCESS_TEAM_DOMAIN || !env.ACCESS_AUD) return null;
  const teamDomain = env.ACCESS_TEAM_DOMAIN.startsWith('https://') ? env.ACCESS_TEAM_DOMAIN : `https://${env.ACCESS_TEAM_DOMAIN}`;
  const roles = roleMapSchema.safeParse(JSON.parse(env.ACCESS_ROLES ?? '{}'));
  if (!roles.success) throw new Error('ACCESS_ROLES must be a JSON object of email, "@domain" or "group:name" to user|admin|superadmin');
  return { teamDomain: teamDomain.replace(/\/+$/, ''), audience: env.ACCESS_AUD, roles: roles.data };
}

/** The highest role any of the identity's email, email domain or groups maps to; null when none does. */
export function roleForIdentity(identity: AccessIdentity, roles: AccessRoleMap): Role | null {
  const email = identity.email.toLowerCase();
  const keys = [email, email.slice(email.indexOf('@')), ...identity.groups.map((group) => `group:${group}`)];
  const lowered = Object.fromEntries(Object.entries(roles).map(([key, role]) => [key.toLowerCase(), role]));
  let best: Role | null = null;
  for (const key of keys) {
    const role = lowered[key.toLowerCase()];
    if (role && (best === null || hasRole(role, best))) best = role;
  }
  return best;
}

const keySets = new Map<string, JWTVerifyGetKey>();
const teamKeys = (teamDomain: string): JWTVerifyGetKey => {
  let keys = keySets.get(teamDomain);
  if (!keys) keySets.set(teamDomain, (keys = createRemoteJWKSet(new URL(`${teamDomain}/cdn-cgi/access/certs`))));
  return keys;
};

/** Verifies the Access token; null when it is missing or invalid for any reason (the reason is logged). */
export async function verifyAccessToken(token: string | undefined, config: AccessConfig, keys: JWTVerifyGetKey = teamKeys(config.teamDomain)): Promise<AccessIdentity | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, keys, { issuer: config.teamDomain, audience: config.audience, algorithms: ['RS256'] });
    if (typeof payload.email !== 'string' || !payload.email.includes('@')) return null;
    const groups = Array.isArray(payload.groups) ? payload.groups.filter((group): group is string => typeof group === 'string') : [];
    return { email: payload.email, groups };
  } catch (error) {
    logEvent('warn', 'admin.access_token_refused', { reason: error instanceof Error ? error.name : 'error' });
    return null;
  }
}
