/** A urlencoded form as the back office's parser leaves it: one string, or several for a repeated name. */
export type FormBody = Record<string, string | string[] | undefined>;

export const one = (body: FormBody, name: string): string => {
  const v = body[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

export const all = (body: FormBody, name: string): string[] => {
  const v = body[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** Only paths of this site: a form's `back` never sends anyone elsewhere. */
export const localPath = (value: string, fallback: string) => (/^\/(?![/\\])[\w\-/?=&.%]*$/.test(value) ? value : fallback);
