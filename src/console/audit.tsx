/**
 * /admin/audit: the administrator audit log for any signed-in user. Filters are a GET form checked by the
 * same schema as /admin/api/audit-log; a refused filter shows beside its field with nothing listed.
 */
import { auditLogPage } from '../admin/audit';
import { parseInput } from '../admin/validation';
import { auditListQuerySchema } from '../domain/audit';
import { database } from '../store/db';
import { AuditPage } from '../views/console/audit-page';
import { asUtc } from './log';
import { fieldErrorsOf, renderPage } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';

export const auditPages = pageGroup();

const FILTER_FIELDS = ['actor', 'action', 'from', 'to'] as const;

auditPages.get('/', requirePage('user'), async (c) => {
  const typed = Object.fromEntries(FILTER_FIELDS.map((field) => [field, c.req.query(field) ?? '']));
  const filters = { ...typed, from: asUtc(typed['from']!), to: asUtc(typed['to']!) };
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  const pageHref = (page: number) => `/admin/audit?${new URLSearchParams({ ...Object.fromEntries(query), page: String(page) })}`;
  const csvHref = `/admin/api/audit-log.csv${query.size ? `?${query}` : ''}`;
  try {
    const input = parseInput(auditListQuerySchema, { ...filters, page: c.req.query('page') ?? '0', size: c.req.query('size') ?? '' });
    const list = await auditLogPage(database(c.env.DB), input);
    return renderPage(c, <AuditPage user={c.get('adminUser')} form={{ values: typed, errors: {} }} list={list} pageHref={pageHref} csvHref={csvHref} />);
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return renderPage(c, <AuditPage user={c.get('adminUser')} form={{ values: typed, errors }} list={null} pageHref={pageHref} csvHref={csvHref} />, 400);
  }
});
