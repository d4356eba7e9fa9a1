export { ensureDemoTenant, registerPlainKey, type DemoTenant, type DemoTenantOutcome } from './ensure-demo-tenant.ts';
export { seedDemoHistory, type DemoHistoryOptions, type DemoHistoryResult } from './demo-history.ts';
export { DEMO_GOALS, seedDemoGoals } from './demo-goals.ts';
