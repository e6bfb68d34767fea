/**
 * /admin/api/auth-log: the authentication log for any signed-in user: a filtered page (JSON), the
 * same filters as a CSV download, and the summary behind the dashboard's charts.
 */
import { Hono } from 'hono';
import { authLogCsv, authLogCsvFilename, authLogPage, authLogSummaryOf } from '../../admin/auth-log';
import { parseInput } from '../../admin/validation';
import { authLogFilterSchema, authLogListQuerySchema } from '../../domain/auth-log';
import type { Env } from '../../env';
import { database } from '../../store/db';
import { requireRole } from './require-role';

export const authLogApi = new Hono<{ Bindings: Env }>();

// Full paths, mounted at the admin root: under app.route('/auth-log') a ".csv" route would be /auth-log/.csv.
authLogApi.get('/auth-log', requireRole('user'), async (c) => c.json(await authLogPage(database(c.env.DB), parseInput(authLogListQuerySchema, c.req.query()))));

authLogApi.get('/auth-log.csv', requireRole('user'), (c) => {
  const filter = parseInput(authLogFilterSchema, c.req.query());
  return c.body(authLogCsv(database(c.env.DB), filter), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${authLogCsvFilename(Date.now())}"`,
  });
});

authLogApi.get('/auth-log/summary', requireRole('user'), async (c) => {
  const filter = parseInput(authLogFilterSchema, c.req.query());
  return c.json(await authLogSummaryOf(database(c.env.DB), filter, Date.now()));
});
