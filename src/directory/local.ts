/**
 * The service's own user database (D1) as a user repository. A person's username answers to the id
 * attributes a directory would have (uid, sAMAccountName, userPrincipalName), their email to mail, their
 * phone to mobile; the phone is stored sealed and found by its keyed hash.
 */
import { parseMsisdn } from '../domain/msisdn';
import type { Env } from '../env';
import { decryptMsisdn } from '../security/phone-crypto';
import { phoneKey } from '../security/phone-key';
import type { Database } from '../store/db';
import { directoryUsersInGroup, findDirectoryUser, findDirectoryUserByPhoneKey, type StoredDirectoryUser } from '../store/directory';
import type { Directory, DirectoryPerson } from './directory';

export const LOCAL_DIRECTORY = 'local';
const USERNAME_ATTRIBUTES = new Set(['username', 'uid', 'samaccountname', 'userprincipalname', 'id']);
const EMAIL_ATTRIBUTES = new Set(['mail', 'email']);
const PHONE_ATTRIBUTES = new Set(['mobile', 'phone', 'mobilephone', 'telephonenumber']);

export function localDirectory(env: Pick<Env, 'PHONE_HASH_SECRET'>, db: Database): Directory {
  async function toPerson(user: StoredDirectoryUser | null): Promise<DirectoryPerson | null> {
    if (!user) return null;
    const phone = user.phoneEncrypted ? await decryptMsisdn(env, user.phoneEncrypted) : null;
    const attributes: Record<string, string[]> = {};
    for (const name of USERNAME_ATTRIBUTES) attributes[name] = [user.username];
    if (user.email) for (const name of EMAIL_ATTRIBUTES) attributes[name] = [user.email];
    if (phone) for (const name of PHONE_ATTRIBUTES) attributes[name] = [phone];
    if (user.displayName) attributes.displayname = [user.displayName];
    return {
      repository: LOCAL_DIRECTORY,
      ref: user.username,
      attributes,
      displayName: user.displayName,
      phone,
      groups: user.groups.map((group) => ({ name: group, ref: group })),
      managerRef: user.manager,
    };
  }

  const byPhone = async (raw: string) => {
    const parsed = parseMsisdn(raw);
    return parsed.ok ? toPerson(await findDirectoryUserByPhoneKey(db, await phoneKey(env, parsed.e164))) : null;
  };

  return {
    name: LOCAL_DIRECTORY,
    findUser: async (id) => toPerson(await findDirectoryUser(db, id)),
    findByPhone: byPhone,
    async findByAttributes(id, idAttributes) {
      const names = new Set(idAttributes.map((attribute) => attribute.toLowerCase()));
      if ([...USERNAME_ATTRIBUTES].some((name) => names.has(name))) {
        const found = await findDirectoryUser(db, id);
        if (found) return toPerson(found);
      }
      if ([...PHONE_ATTRIBUTES].some((name) => names.has(name)) && /^[+\d][\d\s-]{5,}$/.test(id)) return byPhone(id);
      return null;
    },
    findByRef: async (ref) => toPerson(await findDirectoryUser(db, ref)),
    async membersOf(groupName, limit) {
      const people = await Promise.all((await directoryUsersInGroup(db, groupName, limit)).map(toPerson));
      return people.filter((person): person is DirectoryPerson => person !== null);
    },
    close: async () => undefined,
  };
}
