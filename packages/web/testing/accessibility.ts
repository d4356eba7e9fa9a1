import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * No serious or critical axe violation (WCAG 2 A/AA) on the page as it is now. `skipFrames`: selectors
 * of frames axe must not enter, e.g. a sandboxed frame without scripts, where it cannot run.
 */
export async function expectAccessible(page: Page, what: string, options: { skipFrames?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  for (const selector of options.skipFrames ?? []) builder = builder.disableFrame(selector);
  const { violations } = await builder.analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}
