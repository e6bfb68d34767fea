/**
 * /admin/log: the authentication log for any signed-in user. Filters are a GET form; the same schema as
 * /admin/api/auth-log checks them, and a refused filter is shown beside its field with nothing listed.
 */
import { authLogPage, authLogSummaryOf } from '../admin/auth-log';
import { parseInput } from '../admin/validation';
import { authLogListQuerySchema } from '../domain/auth-log';
import { database } from '../store/db';
import { listProfiles } from '../store/profiles';
import { LogPage } from '../views/console/log-page';
import { logFilters } from './log-filters';
import { fieldErrorsOf, renderPage } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';

export const logPages = pageGroup();

logPages.get('/', requirePage('user'), async (c) => {
  const db = database(c.env.DB);
  const { typed, input: query, pageHref, csvHref } = logFilters(c, ['profile', 'outcome', 'from', 'to'], { page: '/admin/log', csv: '/admin/api/auth-log.csv' });
  const profileNames = (await listProfiles(db)).map((profile) => profile.name);
  try {
    const input = parseInput(authLogListQuerySchema, query);
    const [list, summary] = await Promise.all([authLogPage(db, input), authLogSummaryOf(db, input, Date.now())]);
    return renderPage(c, <LogPage user={c.get('adminUser')} form={{ values: typed, errors: {} }} profileNames={profileNames} list={list} summary={summary} pageHref={pageHref} csvHref={csvHref} />);
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return renderPage(c, <LogPage user={c.get('adminUser')} form={{ values: typed, errors }} profileNames={profileNames} list={null} summary={null} pageHref={pageHref} csvHref={csvHref} />, 400);
  }
});
