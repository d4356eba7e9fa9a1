/**
 * Product pictures drawn by the storefront itself: one SVG per product from its name (colour and
 * kind of thing), so the shop needs no image from another origin and every picture is a few
 * hundred bytes. Deterministic: the same slug always draws the same picture.
 */
const COLOURS: Record<string, { fill: string; ink: string }> = {
  black: { fill: '#2b2d31', ink: '#f4f1ea' },
  white: { fill: '#f7f5f0', ink: '#2b2d31' },
  navy: { fill: '#27375e', ink: '#f4f1ea' },
  olive: { fill: '#6b7046', ink: '#f4f1ea' },
  sand: { fill: '#d9c6a1', ink: '#3a3226' },
  rust: { fill: '#a4532f', ink: '#f7efe6' },
  grey: { fill: '#8b8f96', ink: '#ffffff' },
  teal: { fill: '#2f7f7a', ink: '#f4f1ea' },
};

const BACKDROPS = ['#efe9df', '#e6ecef', '#ece6ef', '#e8efe6', '#f1e8e2', '#e5e9f2'];

/** One pictogram per kind of product, in a 200 x 200 box. */
const SHAPES: [RegExp, string][] = [
  [/t-shirt|tee/, 'M62 48l26-12c4 8 20 8 24 0l26 12 20 30-22 12-8-10v86H72V80l-8 10-22-12z'],
  [/hoodie/, 'M60 52l22-14c2-10 36-10 36 0l22 14 20 36-22 10-6-10v84H68V88l-6 10-22-10zM86 40c0 18 28 18 28 0'],
  [/jacket/, 'M60 46l28-10 12 18 12-18 28 10 18 40-20 10-6-12v88h-64V84l-6 12-20-10zM100 54v122'],
  [/running-shoe|sandal/, 'M30 128c20 0 40-10 52-30l20 8c16 6 40 8 62 14 10 3 14 12 14 20v8H30z'],
  [/boot/, 'M60 40h46v70c20 6 44 10 56 16 8 4 10 12 10 20v10H60z'],
  [/mug/, 'M52 64h80v84c0 10-8 16-18 16H70c-10 0-18-6-18-16zM132 84h12c12 0 18 8 18 20s-6 22-18 22h-12'],
  [/lamp/, 'M70 40h60l24 60H46zM96 100h8v56h-8zM68 156h64v12H68z'],
  [/cushion/, 'M44 56c20 8 92 8 112 0-6 30-6 58 0 88-20-8-92-8-112 0 6-30 6-58 0-88z'],
  [/backpack/, 'M68 58c0-26 64-26 64 0v104c0 6-4 10-10 10H78c-6 0-10-4-10-10zM80 98h40v40H80zM84 58c0-12 32-12 32 0'],
  [/tent/, 'M100 40l64 124H36zM100 40v124M84 164l16-40 16 40'],
  [/water-bottle/, 'M88 36h24v16c10 6 16 16 16 28v80c0 8-6 12-12 12H84c-6 0-12-4-12-12V80c0-12 6-22 16-28z'],
];

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function productArt(slug: string, variant = 0): string {
  // The demo's slugs end in a running number; the cart knows only the name, so the picture must not depend on it.
  const words = slug.toLowerCase().replace(/-\d+$/, '');
  const colour = Object.entries(COLOURS).find(([name]) => words.split('-').includes(name))?.[1] ?? { fill: '#5b6472', ink: '#ffffff' };
  const shape = SHAPES.find(([pattern]) => pattern.test(words))?.[1] ?? 'M50 50h100v100H50z';
  const h = hash(words);
  const backdrop = BACKDROPS[(h + variant) % BACKDROPS.length]!;
  const cx = 40 + (h % 120);
  const tilt = variant === 0 ? 0 : -8;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="600" height="600">` +
    `<rect width="200" height="200" fill="${backdrop}"/>` +
    `<circle cx="${cx}" cy="${60 + (h % 50)}" r="${70 + (h % 30)}" fill="#ffffff" opacity=".45"/>` +
    `<ellipse cx="100" cy="178" rx="62" ry="7" fill="#000" opacity=".08"/>` +
    `<g transform="rotate(${tilt} 100 100)"><path d="${shape}" fill="${colour.fill}" stroke="${colour.ink}" stroke-opacity=".35" stroke-width="2.5" stroke-linejoin="round"/></g>` +
    `</svg>`
  );
}
