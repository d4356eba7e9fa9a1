/** What the server-rendered clients of the commerce API (storefront, back office) share. */
export { Html, escapeHtml, html, jsonScript, raw, type Child } from './html.ts';
export { appendSetCookies, cookieLine, cookiesOf, parseCookies } from './cookies.ts';
export { apiProxy } from './api-proxy.ts';
export { apiFieldErrors, field, fieldErrorsFrom, formAlert, type FieldErrors } from './form.ts';
export { ApiError, ApiVisitor, expectOk, okOrNull, toApiError } from './api-visitor.ts';
export { formAllowed as formFromOwnOrigin } from './form-guard.ts';
export { pageErrors, securityHeaders, seeOther, sendDocument } from './page-replies.ts';
export { asset, bundleScript, shortHash, type Asset } from './assets.ts';
