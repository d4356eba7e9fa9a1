import type { Sql } from '../../commerce/src/shared/database/index.ts';

/**
 * A `Sql` that runs each select under EXPLAIN ANALYZE, records the plan and the execution time,
 * and answers no rows: enough to see what one call of a query function costs in PostgreSQL.
 */
export function explainingSql(sql: Sql): { sql: Sql; plans: Array<{ text: string; ms: number; plan: string }> } {
  const plans: Array<{ text: string; ms: number; plan: string }> = [];
  return {
    plans,
    sql: {
      query: async <R>(text: string, params?: readonly unknown[]) => {
        const { rows } = await sql.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off) ${text}`, params);
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        plans.push({ text, ms: Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN), plan });
        return { rows: [] as R[], rowCount: 0 };
      },
      exec: (script) => sql.exec(script),
    },
  };
}
