import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { asset, bundleScript, shortHash, type Asset } from '@shop/web';

const srcDir = resolve(import.meta.dirname, '..');

export interface Assets {
  /** Hashed, immutable files by URL path (`/assets/app.3f2a1c.js`). */
  files: Map<string, Asset>;
  css: string;
  js: string;
}

/** The stylesheet and the one island bundle, built in memory at start. */
export async function buildAssets(): Promise<Assets> {
  const files = new Map<string, Asset>();
  const css = await readFile(resolve(srcDir, 'public/styles.css'));
  const cssPath = `/assets/styles.${shortHash(css)}.css`;
  files.set(cssPath, asset(css, 'text/css; charset=utf-8'));
  const js = await bundleScript(resolve(srcDir, 'client/main.ts'));
  const jsPath = `/assets/app.${shortHash(js)}.js`;
  files.set(jsPath, asset(js, 'text/javascript; charset=utf-8'));
  return { files, css: cssPath, js: jsPath };
}
