import type { Html } from '@shop/web';
import type { Me } from '../data/staff.ts';

/** What every page knows about the request it renders for. */
export interface View {
  shopName: string;
  /** Path and query of this request (the navigation marks the current section). */
  url: string;
  locale: string;
  assets: { css: string; js: string };
  /** The signed-in user, or null on the sign-in page. */
  me: Me | null;
  /** The double-submit token every form carries back (the API's csrf_token cookie). */
  csrf: string;
  storefrontUrl: string | undefined;
}

/** A rendered page before it becomes a document. */
export interface Page {
  status?: number;
  title: string;
  body: Html;
  /** A one-shot message above the page (after a redirect: "Product saved"). */
  flash?: string | undefined;
  /** A refusal rather than a confirmation. */
  flashIsError?: boolean;
}
