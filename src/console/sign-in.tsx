/** /admin/sign-in and /admin/sign-out: the same session as POST and DELETE /admin/api/session (src/admin/session.ts). */
import { signIn, signOut } from '../admin/session';
import { parseInput } from '../admin/validation';
import { signedInAdmin } from '../http/signed-in-admin';
import { ApiError } from '../domain/api-error';
import { loginSchema } from '../domain/user';
import { emptyForm } from '../views/console/form-fields';
import { SignInPage } from '../views/console/sign-in-page';
import { fieldErrorsOf, readForm, redirectWithFlash, renderPage, takeFlash } from './page';
import { safeNextPath } from './page-auth';
import { pageGroup } from './page-group';

export const signInPages = pageGroup();

const SESSION_ENDED = 'Your session expired, please sign in again.';

signInPages.get('/', async (c) => {
  const next = safeNextPath(c.req.query('next'));
  if ((await signedInAdmin(c)).user) return c.redirect(next, 303);
  const notice = c.req.query('session') === 'expired' ? SESSION_ENDED : takeFlash(c);
  return renderPage(c, <SignInPage form={emptyForm()} next={next} notice={notice} />);
});

signInPages.post('/', async (c) => {
  const values = await readForm(c);
  const next = safeNextPath(values['next']);
  const form = { username: values['username'] ?? '' };
  try {
    await signIn(c, parseInput(loginSchema, { username: values['username'] ?? '', password: values['password'] ?? '' }));
    return c.redirect(next, 303);
  } catch (error) {
    if (error instanceof ApiError && error.body.code === 'UNAUTHORIZED') {
      return renderPage(c, <SignInPage form={emptyForm(form)} next={next} refused />, 401);
    }
    if (error instanceof ApiError && error.body.code === 'RATE_LIMITED') {
      const seconds = Number(error.getResponse().headers.get('retry-after'));
      c.header('retry-after', String(seconds));
      return renderPage(c, <SignInPage form={emptyForm(form)} next={next} throttledForSeconds={seconds} />, 429);
    }
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return renderPage(c, <SignInPage form={{ values: form, errors }} next={next} />, 400);
  }
});

export const signOutPages = pageGroup();

signOutPages.post('/', async (c) => {
  await signOut(c);
  return redirectWithFlash(c, '/admin/sign-in', 'You have signed out.');
});
