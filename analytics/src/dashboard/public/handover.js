/**
 * The server's answers for a painted page (handover.ts writes them into a JSON data block): the
 * page's script starts from them instead of asking the API the same questions again, and asks
 * only when the view changes or on its live cycle.
 */
export const HANDOVER_ID = 'painted-answers';

/** The block's contents, or null: no block (no server paint), or one this script cannot read. */
export function readHandover(doc) {
  const block = doc.getElementById(HANDOVER_ID);
  if (!block || block.type !== 'application/json') return null;
  try {
    const handover = JSON.parse(block.textContent ?? '');
    const readable = handover && typeof handover.asOf === 'string' && handover.view && handover.params && handover.results && typeof handover.results === 'object';
    return readable ? handover : null;
  } catch {
    return null;
  }
}

const filterText = (filters) => filters.map((f) => `${f.dimension}:${f.value}`).join('\n');

/**
 * Whether the handover holds the answers of `view` ({ range, custom, compare, filters }) and is
 * younger than `maxAgeMs` at `now`: a page restored long after it was painted, or a view the
 * script changed before taking over, asks again.
 */
export function handoverFits(handover, view, now, maxAgeMs) {
  const age = now - Date.parse(handover.asOf);
  if (!(age < maxAgeMs)) return false;
  const h = handover.view;
  const sameDates = view.range !== 'custom' || (h.custom?.from === view.custom.from && h.custom?.to === view.custom.to);
  return h.range === view.range && sameDates && h.compare === view.compare && filterText(h.filters ?? []) === filterText(view.filters);
}

/** The answers the page can show as its own: all, but the breakdown only if it is the one the page shows. */
export function handoverAnswers(handover, breakdown) {
  const { breakdown: painted, ...rest } = handover.results;
  return painted && handover.view.breakdown === breakdown ? { ...rest, breakdown: painted } : rest;
}
