/** What a label shows. */
export interface LabelContent {
  carrier: string;
  optionId: string;
  orderNumber: string;
  trackingNumber: string;
  /** ISO 8601 */
  createdAt: string;
}

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/**
 * A printable 4×6 in label for a shipment: carrier, service, order number and the tracking
 * number as text and as bars (one bar width per character code: a picture, not a scannable code).
 */
export function renderLabel(s: LabelContent): string {
  const bars = [...s.trackingNumber]
    .map((ch, i) => `<rect x="${40 + i * 22}" y="300" width="${2 + (ch.charCodeAt(0) % 9)}" height="120" fill="#000"/>`)
    .join('');
  const text = (y: number, size: number, value: string, weight = 'normal') =>
    `<text x="40" y="${y}" font-family="sans-serif" font-size="${size}" font-weight="${weight}">${escapeXml(value)}</text>`;
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="600" viewBox="0 0 400 600" role="img" aria-label="Shipping label">',
    '<rect x="4" y="4" width="392" height="592" fill="#fff" stroke="#000" stroke-width="4"/>',
    text(70, 34, s.carrier.toUpperCase(), 'bold'),
    text(110, 20, `Service: ${s.optionId}`),
    text(150, 20, `Order ${s.orderNumber}`),
    text(190, 16, `Label bought ${s.createdAt.slice(0, 10)}`),
    text(270, 22, s.trackingNumber, 'bold'),
    bars,
    '</svg>',
  ].join('');
}
