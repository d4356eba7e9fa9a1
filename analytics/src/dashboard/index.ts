export { registerDashboardRoutes, type DashboardRoutesOptions } from './dashboard-routes.ts';
export { DASHBOARD_CSP, DASHBOARD_SECURITY_HEADERS } from './security-headers.ts';
