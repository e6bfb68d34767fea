/** /admin/api/audit-log: the administrator audit log for any signed-in user, filtered and paginated (JSON), and the same filters as CSV. */
import { Hono } from 'hono';
import { auditLogCsv, auditLogCsvFilename, auditLogPage } from '../../admin/audit';
import { parseInput } from '../../admin/validation';
import { auditFilterSchema, auditListQuerySchema } from '../../domain/audit';
import type { Env } from '../../env';
import { database } from '../../store/db';
import { requireRole } from './require-role';

export const auditLogApi = new Hono<{ Bindings: Env }>();

// Full paths, mounted at the admin root, as for the authentication log.
auditLogApi.get('/audit-log', requireRole('user'), async (c) => c.json(await auditLogPage(database(c.env.DB), parseInput(auditListQuerySchema, c.req.query()))));

auditLogApi.get('/audit-log.csv', requireRole('user'), (c) => {
  const filter = parseInput(auditFilterSchema, c.req.query());
  return c.body(auditLogCsv(database(c.env.DB), filter), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${auditLogCsvFilename(Date.now())}"`,
  });
});
