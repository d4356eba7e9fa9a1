// Types of format.js for the server's first paint.
export function formatValue(value: number, decimals?: number): string;
export function periodRange(start: string, end: string, granularity: string): string;
export function percent(part: number, whole: number): string;
export function zonedLabel(utcIso: string, timeZone: string): string;
