export { escapeHtml, Html, html, jsonScript, raw, type Child } from '@shop/platform/html';
