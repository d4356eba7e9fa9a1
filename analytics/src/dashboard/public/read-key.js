// The read key lives in this tab's sessionStorage only: closing the tab forgets it.
const STORAGE_KEY = 'analytics.readKey';

/**
 * Moves `#key=rk_...` (or a shared link's `#share=sk_...`) from the address bar into
 * sessionStorage and removes it from the URL, so it is neither bookmarked nor left in the
 * history. A fragment never reaches a server or a log.
 */
export function takeKeyFromFragment(location, history, storage) {
  const params = new URLSearchParams(location.hash.slice(1));
  const name = params.has('share') ? 'share' : 'key';
  if (!params.has(name)) return;
  const key = (params.get(name) ?? '').trim();
  params.delete(name);
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  if (key) storage.setItem(STORAGE_KEY, key);
}

export const storedKey = (storage) => storage.getItem(STORAGE_KEY);
export const saveKey = (storage, key) => storage.setItem(STORAGE_KEY, key);
export const forgetKey = (storage) => storage.removeItem(STORAGE_KEY);

/** A share key opens the dashboard read-only, until it expires. */
export const isShareKey = (key) => typeof key === 'string' && key.startsWith('sk_');

/** What is wrong with a pasted key before the server is asked, or null. */
export function keyProblem(key) {
  if (!key) return 'Paste a read key first.';
  if (isShareKey(key)) return /^sk_[\w-]+$/.test(key) ? null : 'A share key holds only letters, digits, _ and - after sk_.';
  if (key.startsWith('wk_')) return 'That is a write key (wk_…): it can only send events. The dashboard needs a read key (rk_…).';
  if (!key.startsWith('rk_')) return 'A read key starts with rk_.';
  if (!/^rk_[\w-]+$/.test(key)) return 'A read key holds only letters, digits, _ and - after rk_.';
  return null;
}

/**
 * The server paints the page's first numbers from this cookie: the key itself, scoped to
 * /dashboard (never sent to the API's routes), SameSite=Strict, gone when the browser closes.
 * Not HttpOnly: this script holds the key anyway, to call the API with it.
 */
export const KEY_COOKIE = 'analytics_dashboard_key';

export function keepKeyForServer(doc, key) {
  const secure = doc.location?.protocol === 'https:' ? '; Secure' : '';
  doc.cookie = `${KEY_COOKIE}=${encodeURIComponent(key)}; Path=/dashboard; SameSite=Strict${secure}`;
}

export function forgetKeyForServer(doc) {
  doc.cookie = `${KEY_COOKIE}=; Path=/dashboard; SameSite=Strict; Max-Age=0`;
}

export function keyFromCookie(doc) {
  const found = doc.cookie.split('; ').find((c) => c.startsWith(`${KEY_COOKIE}=`));
  return found ? decodeURIComponent(found.slice(KEY_COOKIE.length + 1)) : null;
}
