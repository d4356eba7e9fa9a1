import { escapeHtml } from './html-escape.ts';

/**
 * The shared HTML frame. `bodyHtml` must already be escaped by the template; the title is
 * escaped here.
 */
export function htmlLayout(title: string, bodyHtml: string): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="font-family:system-ui,sans-serif;color:#222;max-width:600px;margin:auto">',
    `<h1 style="font-size:20px">${escapeHtml(title)}</h1>`,
    bodyHtml,
    '<p style="color:#777;font-size:12px">You receive this email because you placed an order in our shop.</p>',
    '</body></html>',
  ].join('\n');
}

/** Subjects are headers: one line, whatever the data contains. */
export const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();
