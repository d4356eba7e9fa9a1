export { ensureDemoTenant, registerPlainKey, type DemoTenant, type DemoTenantOutcome } from './ensure-demo-tenant.ts';
