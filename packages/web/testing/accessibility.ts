import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * No serious or critical axe violation (WCAG 2 A/AA) on the page as it is now. `frames: false` keeps axe
 * out of the page's frames, for a sandboxed frame that may run no script (axe cannot run inside it).
 */
export async function expectAccessible(page: Page, what: string, options: { frames?: boolean } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (options.frames === false) builder = builder.options({ iframes: false });
  const { violations } = await builder.analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}
