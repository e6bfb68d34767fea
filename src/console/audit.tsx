/**
 * /admin/audit: the administrator audit log for any signed-in user. Filters are a GET form checked by the
 * same schema as /admin/api/audit-log; a refused filter shows beside its field with nothing listed.
 */
import { auditLogPage } from '../admin/audit';
import { parseInput } from '../admin/validation';
import { auditListQuerySchema } from '../domain/audit';
import { database } from '../store/db';
import { AuditPage } from '../views/console/audit-page';
import { logFilters } from './log-filters';
import { fieldErrorsOf, renderPage } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';

export const auditPages = pageGroup();

auditPages.get('/', requirePage('user'), async (c) => {
  const { typed, input: query, pageHref, csvHref } = logFilters(c, ['actor', 'action', 'from', 'to'], { page: '/admin/audit', csv: '/admin/api/audit-log.csv' });
  try {
    const input = parseInput(auditListQuerySchema, query);
    const list = await auditLogPage(database(c.env.DB), input);
    return renderPage(c, <AuditPage user={c.get('adminUser')} form={{ values: typed, errors: {} }} list={list} pageHref={pageHref} csvHref={csvHref} />);
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return renderPage(c, <AuditPage user={c.get('adminUser')} form={{ values: typed, errors }} list={null} pageHref={pageHref} csvHref={csvHref} />, 400);
  }
});
