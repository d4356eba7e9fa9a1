const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from other modules and URLs; a malformed one is "not found", not a SQL cast error. */
export const isUuid = (value: string): boolean => UUID.test(value);
