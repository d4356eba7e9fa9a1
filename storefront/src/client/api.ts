import { createShopClient } from '@shop/sdk';

/** The SDK in the page: same origin, since the storefront proxies `/api/*`. */
export const shop = createShopClient({ baseUrl: location.origin });

export function cookie(name: string): string | undefined {
  const found = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : undefined;
}

/** Unsafe calls with a session pass the API's CSRF check with the token from its readable cookie. */
export const csrfHeaders = (): Record<string, string> => {
  const token = cookie('csrf_token');
  return token ? { 'x-csrf-token': token } : {};
};

export function errorMessage(error: unknown, fallback: string): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message ? message : fallback;
}

/** Minor units written with the currency's own decimals (JPY none, EUR two). */
export function money(minor: number, currency: string): string {
  const format = new Intl.NumberFormat(document.documentElement.dataset.locale || navigator.language || 'en', { style: 'currency', currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

export const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
