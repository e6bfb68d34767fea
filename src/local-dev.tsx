/**
 * The Worker as `npm start`, the browser tests and the benchmark run it (`wrangler dev src/local-dev.tsx`):
 * the deployed Worker plus the /dev routes (the SMS outbox, the phone inbox, the app simulator). Never
 * deployed; the routes still answer only where LOCAL_DEV is set (.dev.vars), in case it ever were.
 */
import { devRoutes } from './api/dev';
import { app, worker } from './app';
import { isLocalDev } from './env';

export * from './index';

app.use('/dev/*', async (c, next) => (isLocalDev(c.env) ? next() : c.notFound()));
app.route('/dev', devRoutes);

export default worker;
