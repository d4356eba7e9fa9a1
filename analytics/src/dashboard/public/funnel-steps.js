/**
 * Funnel steps as the address bar keeps them (`step=page:/pricing`, `step=event:Signed Up`) and
 * as the API takes them ({ kind: 'page', path } / { kind: 'event', event }).
 */
export const MAX_STEPS = 8;

export function parseStep(text) {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const value = text.slice(colon + 1).trim();
  if (!value) return null;
  if (kind === 'page') return value.startsWith('/') ? { kind: 'page', value } : null;
  if (kind === 'event') return { kind: 'event', value };
  return null;
}

export const stepText = (step) => `${step.kind}:${step.value}`;

export const stepCondition = (step) => (step.kind === 'page' ? { kind: 'page', path: step.value } : { kind: 'event', event: step.value });

/** A first funnel from the tenant's goals, in the order they were defined (property values are left out). */
export const stepsFromGoals = (goals) => goals.slice(0, MAX_STEPS).map((g) => (g.kind === 'page' ? { kind: 'page', value: g.path } : { kind: 'event', value: g.event }));

export function stepLabel(step) {
  return step.kind === 'page' ? `Page ${step.value}` : `Event “${step.value}”`;
}
