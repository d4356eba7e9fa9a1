/**
 * A wall clock moved by a fixed offset, for suites whose outcome could depend on the time of day
 * (`TEST_CLOCK_AT=2026-12-08T00:10:00Z npx vitest run ...` runs them as if it were then). Time
 * still flows at its real pace from the shifted start, so code that waits for something still
 * waits, and timers are untouched. The same offset can be given to a browser page.
 */
export interface ShiftedClock {
  /** Milliseconds added to the real clock; 0 when no clock was asked for. */
  offsetMs: number;
  /** A script for `context.addInitScript({ content })` moving the page's `Date` by the same offset. */
  browserScript: string;
  restore(): void;
}

// Plain JavaScript, run in the page as is (no compiled helpers to depend on).
const SHIFT = `(offset) => {
  const Real = Date;
  function Shifted(...args) {
    if (!new.target) return new Real(Real.now() + offset).toString();
    return args.length === 0 ? new Real(Real.now() + offset) : Reflect.construct(Real, args);
  }
  Shifted.prototype = Real.prototype;
  Object.setPrototypeOf(Shifted, Real);
  Shifted.now = () => Real.now() + offset;
  globalThis.Date = Shifted;
  return () => { globalThis.Date = Real; };
}`;

/** Shifts this process's `Date` so that it reads `at` now (an ISO instant); no `at`: the real clock. */
export function shiftClock(at: string | undefined): ShiftedClock {
  if (!at) return { offsetMs: 0, browserScript: '', restore: () => undefined };
  const target = Date.parse(at);
  if (Number.isNaN(target)) throw new Error(`TEST_CLOCK_AT=${at} is not an ISO instant`);
  const offsetMs = target - Date.now();
  const install = new Function(`return (${SHIFT});`)() as (offset: number) => () => void;
  const restore = install(offsetMs);
  return { offsetMs, browserScript: `(${SHIFT})(${offsetMs});`, restore };
}
