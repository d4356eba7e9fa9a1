import type { Sql } from '../../../shared/database/index.ts';
import type { CustomerQueries, CustomerRow } from '../application/ports/customer-directory.port.ts';

interface Row {
  id: string;
  email: string;
  created_at: Date | string;
  address_count: number;
}

const SELECT = `select u.id, u.email, u.created_at,
    (select count(*)::int from users.addresses a where a.user_id = u.id) as address_count
  from users.users u`;

const toRow = (r: Row): CustomerRow => ({ id: r.id, email: r.email, createdAt: new Date(r.created_at), addressCount: r.address_count });

/** Like-pattern metacharacters in a search are matched literally. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createCustomerQueries(db: Sql): CustomerQueries {
  return {
    async list({ search, after, limit }) {
      const { rows } = await db.query<Row>(
        `${SELECT}
          where u.role = 'customer'
            and ($1::text is null or u.email like '%' || $1 || '%')
            and ($2::timestamptz is null or (u.created_at, u.id) < ($2, $3::uuid))
          order by u.created_at desc, u.id desc
          limit $4`,
        [search ? likeEscape(search.toLowerCase()) : null, after?.createdAt ?? null, after?.id ?? null, limit],
      );
      return rows.map(toRow);
    },
    async find(id) {
      const { rows } = await db.query<Row>(`${SELECT} where u.id = $1 and u.role = 'customer'`, [id]);
      return rows[0] ? toRow(rows[0]) : null;
    },
  };
}
