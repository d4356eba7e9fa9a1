import type { Sql } from '../../../shared/database/index.ts';

/** Words as `catalog.words_of` cuts them: runs of letters and digits, compared lower-cased. */
const WORD = /[\p{L}\p{N}]+/gu;
const MIN_WORD = 3;
/** More words than a shopper types; bounds the lookup. */
const MAX_WORDS = 8;

/**
 * `text` with each word of three or more letters that is no catalog word replaced by the nearest
 * catalog word by trigram distance (among those similar enough for `%`, pg_trgm's 0.3 threshold),
 * the rest of the text kept as typed; null when no word changed. One statement: the GiST index on
 * `catalog.search_words` answers both the exact look-up and the nearest-neighbour order.
 */
export async function suggestSpelling(sql: Sql, text: string): Promise<string | null> {
  const words = [...new Set([...text.toLowerCase().matchAll(WORD)].map((m) => m[0]).filter((w) => w.length >= MIN_WORD))].slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  const { rows } = await sql.query<{ term: string; nearest: string | null }>(
    `select t.term,
            case when exists (select 1 from catalog.search_words w where w.word = t.term) then null
                 else (select w.word from catalog.search_words w where w.word % t.term order by w.word <-> t.term, w.word limit 1)
            end as nearest
       from unnest($1::text[]) as t(term)`,
    [words],
  );
  const replacements = new Map(rows.filter((r) => r.nearest !== null).map((r) => [r.term, r.nearest!]));
  if (replacements.size === 0) return null;
  return text.replace(WORD, (word) => replacements.get(word.toLowerCase()) ?? word);
}
