/**
 * /admin/users: administrator accounts, for superadmins only (others get a 403 page). The same schemas
 * and services (src/admin/users.ts) as /admin/api/users, so the same rules: a superadmin cannot
 * demote or disable themselves.
 */
import { auditActor } from '../admin/audit';
import { changeUser, createUser } from '../admin/users';
import { clientAddress } from '../security/client-address';
import { parseInput } from '../admin/validation';
import { userCreateSchema, userPatchSchema, type User } from '../domain/user';
import { database } from '../store/db';
import { listUsers } from '../store/users';
import type { FormState, FormValues } from '../views/console/form-fields';
import type { UserAction } from '../views/console/paths';
import { ROLE_LABEL } from '../views/console/shell';
import { UsersPage, type UsersFormKey } from '../views/console/users-page';
import { fieldErrorsOf, readForm, redirectWithFlash, renderPage, takeFlash, type ConsoleContext } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';

export const userPages = pageGroup();

userPages.use(requirePage('superadmin'));

async function usersPage(c: ConsoleContext, refused?: { key: UsersFormKey; form: FormState }) {
  const users = await listUsers(database(c.env.DB));
  return renderPage(c, <UsersPage user={c.get('adminUser')} users={users} flash={refused ? undefined : takeFlash(c)} active={refused} />, refused ? 400 : 200);
}

/** Runs a change; a refusal re-renders the page with the errors beside the form `key`, its values kept. */
async function submit(c: ConsoleContext, key: UsersFormKey, values: FormValues, change: () => Promise<Response>) {
  try {
    return await change();
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return usersPage(c, { key, form: { values, errors } });
  }
}

userPages.get('/', (c) => usersPage(c));

userPages.post('/', async (c) => {
  const values = await readForm(c);
  const { password: _typed, ...shown } = values;
  return submit(c, 'create', shown, async () => {
    const input = parseInput(userCreateSchema, { username: values['username'] ?? '', password: values['password'] ?? '', role: values['role'] ?? '' });
    const user = await createUser(database(c.env.DB), input, auditActor(c));
    return redirectWithFlash(c, '/admin/users', `Account “${user.username}” created as ${ROLE_LABEL[user.role]}.`);
  });
});

// A form field's text as the patch schema's value: "true"/"false" for the disable button.
const booleanField = (text: string | undefined): boolean | string | undefined => (text === 'true' ? true : text === 'false' ? false : text);

const USER_ACTIONS: Record<UserAction, { patch: (values: FormValues) => unknown; done: (user: User) => string }> = {
  role: { patch: (values) => ({ role: values['role'] ?? '' }), done: (user) => `${user.username} is now ${ROLE_LABEL[user.role]}.` },
  password: { patch: (values) => ({ password: values['password'] ?? '' }), done: (user) => `Password of ${user.username} reset; their sessions have ended.` },
  disabled: {
    patch: (values) => ({ disabled: booleanField(values['disabled']) }),
    done: (user) => (user.disabled ? `${user.username} is disabled and signed out.` : `${user.username} is enabled again.`),
  },
};

for (const action of Object.keys(USER_ACTIONS) as UserAction[]) {
  userPages.post(`/:username/${action}`, async (c) => {
    const username = c.req.param('username');
    const values = await readForm(c);
    const { password: _typed, ...shown } = values;
    return submit(c, `${action}:${username}`, shown, async () => {
      const actor = c.get('adminUser');
      const saved = await changeUser(database(c.env.DB), actor, clientAddress(c.req.raw), username, parseInput(userPatchSchema, USER_ACTIONS[action].patch(values)));
      // A new password of one's own ends one's own session too.
      if (action === 'password' && saved.id === actor.id) return redirectWithFlash(c, '/admin/sign-in', 'Your password was changed. Sign in with the new one.');
      return redirectWithFlash(c, '/admin/users', USER_ACTIONS[action].done(saved));
    });
  });
  userPages.get(`/:username/${action}`, (c) => c.redirect('/admin/users', 303));
}
