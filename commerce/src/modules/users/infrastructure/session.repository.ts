import type { Database } from '../../../shared/database/index.ts';
import type { SessionRepository } from '../application/ports/users.ports.ts';
import type { Role } from '../domain/user.ts';

interface LiveSessionRow {
  id: string;
  user_id: string;
  role: Role;
  csrf_hash: string;
  expires_at: Date;
}

export function createSessionRepository(db: Database): SessionRepository {
  return {
    async insert(session) {
      await db.query(
        `insert into users.sessions (id, user_id, token_hash, csrf_hash, created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6)`,
        [session.id, session.userId, session.tokenHash, session.csrfHash, session.createdAt, session.expiresAt],
      );
    },
    async findLive(tokenHash, now) {
      // The role is read from the user on every request, so a demotion takes effect at once.
      const { rows } = await db.query<LiveSessionRow>(
        `select s.id, s.user_id, u.role, s.csrf_hash, s.expires_at
         from users.sessions s join users.users u on u.id = s.user_id
         where s.token_hash = $1 and s.expires_at > $2`,
        [tokenHash, now],
      );
      const row = rows[0];
      return row
        ? { id: row.id, userId: row.user_id, role: row.role, csrfHash: row.csrf_hash, expiresAt: new Date(row.expires_at) }
        : null;
    },
    async delete(sessionId) {
      await db.query('delete from users.sessions where id = $1', [sessionId]);
    },
    async deleteExpired(userId, now) {
      await db.query('delete from users.sessions where user_id = $1 and expires_at <= $2', [userId, now]);
    },
  };
}
