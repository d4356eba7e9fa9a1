import { openDuckDb } from './duckdb-engine.ts';
import { RAW_COLUMNS } from './metric-sql.ts';
const db = await openDuckDb();
const c = await db.connect();
const t = async (label: string, sql: string) => { const s = performance.now(); await c.run(sql); console.log(label, Math.round(performance.now() - s)); };
await t('A', `CREATE OR REPLACE TEMP TABLE a AS SELECT json_extract(context, ['$.page.path', '$.campaign.source', '$.sessionId', '$.page.referrer']) AS jc, json_extract(properties, ['$.sessionId', '$.category', '$.revenue', '$.path', '$.referrer']) AS jp FROM read_json(['/tmp/prof-src.ndjson'], format='newline_delimited', filename=true, columns=${RAW_COLUMNS})`);
await t('cols', `CREATE OR REPLACE TEMP TABLE b AS SELECT jc[1] j1, jc[2] j2, jc[3] j3, jp[2] j4, jp[3] j5 FROM a`);
for (let i = 0; i < 2; i++) {
await t('scalar', `CREATE OR REPLACE TEMP TABLE c AS SELECT js_scalar(j1), js_scalar(j2), js_scalar(j3), js_scalar(j4) FROM b`);
await t('strings-only', `CREATE OR REPLACE TEMP TABLE c AS SELECT CASE WHEN json_type(j1) = 'VARCHAR' THEN j1->>'$' END, CASE WHEN json_type(j2) = 'VARCHAR' THEN j2->>'$' END, CASE WHEN json_type(j3) = 'VARCHAR' THEN j3->>'$' END, CASE WHEN json_type(j4) = 'VARCHAR' THEN j4->>'$' END FROM b`);
await t('minor', `CREATE OR REPLACE TEMP TABLE c AS SELECT js_minor_units(js_minor_text(j5), 2) FROM b`);
await t('minor-text', `CREATE OR REPLACE TEMP TABLE c AS SELECT js_minor_text(j5) FROM b`);
}
