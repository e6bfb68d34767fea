/**
 * zod for every schema of the service: `zod/mini`, the tree-shakable form (a third of the classic API's
 * size in the Worker bundle), with zod's English messages for any issue a schema gives no text of its own.
 * Import it as `import * as z from './zod'`.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
