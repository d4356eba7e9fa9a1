import type { FastifyInstance } from 'fastify';
import { getLowStock, getOrdersSummary, startOfToday } from '../../data/dashboard.ts';
import { todaysShopAnalytics } from '../../data/shop-analytics.ts';
import { homePage } from '../../pages/home.ts';
import { can, contextFor, requirePermission, type Site } from '../context.ts';

export function homeRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get('/', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'dashboard.read');
      if (!me) return reply;
      const analyticsUrl = site.config.BACKOFFICE_ANALYTICS_URL?.replace(/\/$/, '');
      const [summary, lowStock, analytics] = await Promise.all([
        getOrdersSummary(ctx.staff, startOfToday()),
        can(me, 'catalog.read') ? getLowStock(ctx.staff) : Promise.resolve(null),
        todaysShopAnalytics({ url: analyticsUrl, readKey: site.config.BACKOFFICE_ANALYTICS_READ_KEY }),
      ]);
      const dashboardUrl = analyticsUrl ? `${analyticsUrl}/dashboard` : undefined;
      return ctx.render(reply, homePage({ locale: ctx.staff.locale, summary, lowStock, analytics, dashboardUrl }), me);
    });
  };
}
