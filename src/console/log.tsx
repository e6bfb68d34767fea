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
import { fieldErrorsOf, renderPage } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';

export const logPages = pageGroup();

const FILTER_FIELDS = ['profile', 'outcome', 'from', 'to'] as const;

// <input type="datetime-local"> sends "2026-11-25T10:00" without a zone; the console labels these fields UTC.
export const asUtc = (value: string): string => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.length === 16 ? `${value}:00` : value}Z` : value);

logPages.get('/', requirePage('user'), async (c) => {
  const db = database(c.env.DB);
  const typed = Object.fromEntries(FILTER_FIELDS.map((field) => [field, c.req.query(field) ?? '']));
  const filters = { ...typed, from: asUtc(typed['from']!), to: asUtc(typed['to']!) };
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  const pageHref = (page: number) => `/admin/log?${new URLSearchParams({ ...Object.fromEntries(query), page: String(page) })}`;
  const csvHref = `/admin/api/auth-log.csv${query.size ? `?${query}` : ''}`;
  const profileNames = (await listProfiles(db)).map((profile) => profile.name);
  try {
    const input = parseInput(authLogListQuerySchema, { ...filters, page: c.req.query('page') ?? '0', size: c.req.query('size') ?? '' });
    const [list, summary] = await Promise.all([authLogPage(db, input), authLogSummaryOf(db, input, Date.now())]);
    return renderPage(c, <LogPage user={c.get('adminUser')} form={{ values: typed, errors: {} }} profileNames={profileNames} list={list} summary={summary} pageHref={pageHref} csvHref={csvHref} />);
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return renderPage(c, <LogPage user={c.get('adminUser')} form={{ values: typed, errors }} profileNames={profileNames} list={null} summary={null} pageHref={pageHref} csvHref={csvHref} />, 400);
  }
});
