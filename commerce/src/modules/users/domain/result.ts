/** An expected outcome: a value, or a failure with a stable code the api layer maps to HTTP. */
export type Result<T, F extends { code: string }> = ({ ok: true } & T) | ({ ok: false } & F);

export const ok = <T extends object>(value: T): { ok: true } & T => ({ ok: true, ...value });
export const fail = <F extends { code: string }>(failure: F): { ok: false } & F => ({ ok: false, ...failure });
