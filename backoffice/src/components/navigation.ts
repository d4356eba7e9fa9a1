import { html, raw, type Html } from '@shop/web';

export interface NavItem {
  href: string;
  label: string;
  /** Shown only to roles with this permission (the API refuses the rest anyway). */
  permission: string;
  icon: Html;
}

const icon = (path: string) => raw(`<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${path}</svg>`);

/** The back office's sections in menu order; each screen's routes check the same permission. */
export const NAV: NavItem[] = [
  { href: '/', label: 'Home', permission: 'dashboard.read', icon: icon('<path d="M3 11l9-7 9 7"/><path d="M5 10v10h14V10"/>') },
  { href: '/products', label: 'Products', permission: 'catalog.read', icon: icon('<path d="M3 7l9-4 9 4-9 4z"/><path d="M3 7v10l9 4 9-4V7"/><path d="M12 11v10"/>') },
  { href: '/categories', label: 'Categories', permission: 'catalog.read', icon: icon('<path d="M4 5h6v5H4z"/><path d="M7 10v8h5"/><path d="M7 14h5"/><path d="M12 12h8v4h-8z"/><path d="M12 16h8v4h-8z"/>') },
  { href: '/orders', label: 'Orders', permission: 'orders.read', icon: icon('<path d="M6 3h12l1 4H5z"/><path d="M5 7v13h14V7"/><path d="M9 11h6"/>') },
  { href: '/returns', label: 'Returns', permission: 'orders.read', icon: icon('<path d="M9 14L4 9l5-5"/><path d="M4 9h11a5 5 0 0 1 0 10h-3"/>') },
  { href: '/shipments', label: 'Shipments', permission: 'shipments.manage', icon: icon('<path d="M3 7h11v9H3z"/><path d="M14 10h4l3 3v3h-7"/><circle cx="7" cy="18" r="1.6"/><circle cx="17" cy="18" r="1.6"/>') },
  { href: '/customers', label: 'Customers', permission: 'customers.read', icon: icon('<circle cx="12" cy="8" r="3.5"/><path d="M5 20c1-4 4-6 7-6s6 2 7 6"/>') },
  { href: '/promotions', label: 'Promotions', permission: 'promotions.read', icon: icon('<path d="M4 12l8-8h8v8l-8 8z"/><circle cx="15.5" cy="8.5" r="1.5"/>') },
  { href: '/regions', label: 'Regions and taxes', permission: 'pricing.read', icon: icon('<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18"/>') },
  { href: '/operations', label: 'Operations', permission: 'operations.manage', icon: icon('<circle cx="12" cy="12" r="3"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M5 19l2-2M17 7l2-2"/>') },
  { href: '/audit', label: 'Audit log', permission: 'audit.read', icon: icon('<path d="M9 4h6l1 2h3v15H5V6h3z"/><path d="M9 12h6M9 16h6"/>') },
];

/** The current section: the longest nav href the path starts with. */
function current(url: string): string {
  const path = url.split('?')[0] ?? '/';
  return NAV.map((n) => n.href)
    .filter((href) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)))
    .sort((a, b) => b.length - a.length)[0] ?? '';
}

export function navigation(url: string, permissions: readonly string[]): Html {
  const here = current(url);
  return html`<nav class="side-nav" aria-label="Back office">
  <ul>${NAV.filter((n) => permissions.includes(n.permission)).map(
    (n) => html`<li><a href="${n.href}" ${n.href === here ? html`aria-current="page"` : ''}>${n.icon}<span>${n.label}</span></a></li>`,
  )}</ul>
</nav>`;
}
