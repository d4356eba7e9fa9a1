/** A uuid as text. The database rejects a malformed uuid with an error, so callers that accept any string filter first. */
export const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
