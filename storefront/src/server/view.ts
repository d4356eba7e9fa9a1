import type { Html } from '@shop/web';
import type { Region } from '../data/pricing.ts';

/** What every page knows about the request it renders for. */
export interface View {
  shopName: string;
  /** The public origin, e.g. `https://shop.example`, for canonical and Open Graph URLs. */
  origin: string;
  locale: string;
  /** Path and query of this request. */
  url: string;
  signedIn: boolean;
  assets: { css: string; js: string };
  /** The current root categories, for the navigation. */
  nav: { slug: string; name: string }[];
  /** The regions a visitor can shop in, and theirs (the header's selector; prices are in its currency). */
  regions: Region[];
  region: Region | null;
  /** The double-submit token forms carry back when the shopper is signed in. */
  csrf: string;
}

/** A rendered page before it becomes a document: the head's facts and the body. */
export interface Page {
  status?: number;
  title: string;
  description: string;
  /** Path of the canonical URL (query included when it matters), or none for pages not to index. */
  canonical?: string;
  noindex?: boolean;
  og?: { type: 'website' | 'product'; image?: string };
  jsonLd?: unknown;
  body: Html;
}
