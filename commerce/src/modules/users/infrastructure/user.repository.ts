import type { Database } from '../../../shared/database/index.ts';
import type { UserRepository } from '../application/ports/users.ports.ts';
import type { Role, User, UserWithPassword } from '../domain/user.ts';
import { isUuid } from './uuid.ts';

interface UserRow {
  id: string;
  email: string;
  role: Role;
  created_at: Date;
  password_hash?: string;
}

const COLUMNS = 'id, email, role, created_at';

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, role: row.role, createdAt: new Date(row.created_at) });
const toUserWithPassword = (row: UserRow): UserWithPassword => ({ ...toUser(row), passwordHash: row.password_hash ?? '' });

export function createUserRepository(db: Database): UserRepository {
  const one = async (sql: string, params: unknown[]) => (await db.query<UserRow>(sql, params)).rows[0];
  return {
    async insert(user) {
      const row = await one(
        `insert into users.users (id, email, password_hash, role, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (email) do nothing
         returning ${COLUMNS}`,
        [user.id, user.email, user.passwordHash, user.role, user.now],
      );
      return row ? toUser(row) : null;
    },
    async upsertWithRole(user) {
      const row = await one(
        `insert into users.users (id, email, password_hash, role, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (email) do update set role = excluded.role, updated_at = excluded.updated_at
         returning ${COLUMNS}`,
        [user.id, user.email, user.passwordHash, user.role, user.now],
      );
      if (!row) throw new Error('upsert returned no row');
      return toUser(row);
    },
    async findById(id) {
      if (!isUuid(id)) return null;
      const row = await one(`select ${COLUMNS} from users.users where id = $1`, [id]);
      return row ? toUser(row) : null;
    },
    async findByEmailWithPassword(email) {
      const row = await one(`select ${COLUMNS}, password_hash from users.users where email = $1`, [email]);
      return row ? toUserWithPassword(row) : null;
    },
    async findByIdWithPassword(id) {
      if (!isUuid(id)) return null;
      const row = await one(`select ${COLUMNS}, password_hash from users.users where id = $1`, [id]);
      return row ? toUserWithPassword(row) : null;
    },
    async replacePasswordHash(userId, expectedHash, newHash, now) {
      const result = await db.query(
        'update users.users set password_hash = $3, updated_at = $4 where id = $1 and password_hash = $2',
        [userId, expectedHash, newHash, now],
      );
      return result.rowCount > 0;
    },
    async changePassword(userId, newHash, keepSessionId, now) {
      await db.transaction(async (tx) => {
        await tx.query('update users.users set password_hash = $2, updated_at = $3 where id = $1', [userId, newHash, now]);
        await tx.query('delete from users.sessions where user_id = $1 and id <> $2', [userId, keepSessionId]);
      });
    },
    async list({ limit, offset }) {
      const [page, count] = await Promise.all([
        db.query<UserRow>(`select ${COLUMNS} from users.users order by created_at, id limit $1 offset $2`, [limit, offset]),
        db.query<{ total: number }>('select count(*)::int as total from users.users'),
      ]);
      return { users: page.rows.map(toUser), total: count.rows[0]?.total ?? 0 };
    },
  };
}
