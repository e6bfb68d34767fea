/**
 * The URLs of the console's stylesheet and script, static assets in public/admin/assets/ that Cloudflare
 * serves without running the Worker. Each URL carries a hash of the file's content (written by
 * `npm run static-files`), so the files are cached for a year and a deployment that changes them is
 * fetched at once.
 */
import versions from './asset-versions.json';

export const CONSOLE_JS_PATH = `/admin/assets/console.js?v=${versions['console.js']}`;
export const CONSOLE_CSS_PATH = `/admin/assets/console.css?v=${versions['console.css']}`;
