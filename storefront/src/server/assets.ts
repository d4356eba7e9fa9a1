import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { asset, bundleScript, shortHash as short, type Asset } from '@shop/web';
import { iconPng } from './icon.ts';

const srcDir = resolve(import.meta.dirname, '..');

export type { Asset };

export interface Assets {
  /** Hashed, immutable files by URL path (`/assets/app.3f2a1c.js`). */
  files: Map<string, Asset>;
  css: string;
  js: string;
  serviceWorker: Asset;
  /** The PNG app icons by URL path; drawn on first request, not at start (they cost a quarter second). */
  icons: { get(path: string): Buffer | undefined };
}


/**
 * The browser's files, built in memory when the server starts: the islands bundled and minified by
 * esbuild (no network, well under a second), the stylesheet, the service worker (which names the
 * hashed files so it can cache the shell), and the app icons.
 */
export async function buildAssets(): Promise<Assets> {
  const bundle = (entry: string, define: Record<string, string> = {}) => bundleScript(resolve(srcDir, entry), define);
  const files = new Map<string, Asset>();
  const css = await readFile(resolve(srcDir, 'public/styles.css'));
  const cssPath = `/assets/styles.${short(css)}.css`;
  files.set(cssPath, asset(css, 'text/css; charset=utf-8'));
  const js = await bundle('client/main.ts');
  const jsPath = `/assets/app.${short(js)}.js`;
  files.set(jsPath, asset(js, 'text/javascript; charset=utf-8'));
  const worker = await bundle('client/service-worker.ts', {
    SHELL_FILES: JSON.stringify([cssPath, jsPath, '/offline', '/icons/icon.svg', '/manifest.webmanifest']),
    SHELL_VERSION: JSON.stringify(short(Buffer.concat([css, js]))),
  });
  const drawn = new Map<string, Buffer>();
  const sizes = new Map([192, 512].map((size) => [`/icons/icon-${size}.png`, size]));
  const icons = {
    get(path: string) {
      const size = sizes.get(path);
      if (size === undefined) return undefined;
      if (!drawn.has(path)) drawn.set(path, iconPng(size));
      return drawn.get(path);
    },
  };
  return { files, css: cssPath, js: jsPath, serviceWorker: asset(worker, 'text/javascript; charset=utf-8'), icons };
}
