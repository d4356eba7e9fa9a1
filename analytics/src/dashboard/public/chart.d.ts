// Types of chart.js (its DOM-free parts) for the server's first paint.
import type { QueryAnswer } from '@shop/sdk/analytics';

export function layerOfPoints(result: QueryAnswer): Array<'batch' | 'speed' | 'mixed'>;
export function boundaryNote(result: QueryAnswer): string;
