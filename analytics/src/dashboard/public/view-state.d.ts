// Types of view-state.js for the server's first paint.
import type { Filter } from './panels.js';

export interface ViewState {
  range: 'hour' | 'day' | 'month' | 'custom' | null;
  from: string | null;
  to: string | null;
  compare: boolean;
  filters: Filter[];
  metric: string | null;
  window: number | null;
  retention: 'day' | 'week';
}
export function readViewState(search: string): ViewState;
export function dayAfter(date: string): string;
