/**
 * The console's stylesheet and script, with their URLs. Each URL carries a hash of the content, so the
 * files can be cached for a year and a deployment that changes them is fetched at once.
 */
import { CONSOLE_JS } from './console-script';
import { CONSOLE_CSS } from './console-style';

/** FNV-1a, 32 bits: a cache key, not a security measure. */
function contentVersion(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

export const CONSOLE_ASSETS = {
  'console.js': { body: CONSOLE_JS, contentType: 'text/javascript; charset=utf-8' },
  'console.css': { body: CONSOLE_CSS, contentType: 'text/css; charset=utf-8' },
} as const;

export const CONSOLE_JS_PATH = `/admin/assets/console.js?v=${contentVersion(CONSOLE_JS)}`;
export const CONSOLE_CSS_PATH = `/admin/assets/console.css?v=${contentVersion(CONSOLE_CSS)}`;
