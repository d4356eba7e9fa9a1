import type { Database, Sql } from '../../../shared/database/index.ts';
import type { AddressRepository } from '../application/ports/users.ports.ts';
import type { Address, AddressFields } from '../domain/address.ts';
import { isUuid } from './uuid.ts';

interface AddressRow {
  id: string;
  user_id: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string;
  region: string | null;
  country: string;
  phone: string | null;
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, user_id, name, line1, line2, city, postal_code, region, country, phone, is_default, created_at, updated_at';

/** Field name to column; the only strings ever spliced into SQL here. */
const FIELD_COLUMNS: Record<keyof AddressFields, string> = {
  name: 'name',
  line1: 'line1',
  line2: 'line2',
  city: 'city',
  postalCode: 'postal_code',
  region: 'region',
  country: 'country',
  phone: 'phone',
};

const toAddress = (row: AddressRow): Address => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  line1: row.line1,
  line2: row.line2,
  city: row.city,
  postalCode: row.postal_code,
  region: row.region,
  country: row.country,
  phone: row.phone,
  isDefault: row.is_default,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

// Serialises a user's address writes so "first address is the default" and "one default" hold under concurrency.
const lockOwner = (tx: Sql, userId: string) => tx.query('select id from users.users where id = $1 for update', [userId]);

const clearDefault = (tx: Sql, userId: string) =>
  tx.query('update users.addresses set is_default = false where user_id = $1 and is_default', [userId]);

export function createAddressRepository(db: Database): AddressRepository {
  return {
    async listForUser(userId) {
      const { rows } = await db.query<AddressRow>(
        `select ${COLUMNS} from users.addresses where user_id = $1 order by is_default desc, created_at, id`,
        [userId],
      );
      return rows.map(toAddress);
    },
    async find(userId, addressId) {
      if (!isUuid(addressId)) return null;
      const { rows } = await db.query<AddressRow>(`select ${COLUMNS} from users.addresses where id = $1 and user_id = $2`, [
        addressId,
        userId,
      ]);
      return rows[0] ? toAddress(rows[0]) : null;
    },
    insert(userId, id, input, now) {
      return db.transaction(async (tx) => {
        await lockOwner(tx, userId);
        const existing = await tx.query<{ n: number }>('select count(*)::int as n from users.addresses where user_id = $1', [userId]);
        const isDefault = input.isDefault ?? (existing.rows[0]?.n ?? 0) === 0;
        if (isDefault) await clearDefault(tx, userId);
        const { rows } = await tx.query<AddressRow>(
          `insert into users.addresses (id, user_id, name, line1, line2, city, postal_code, region, country, phone, is_default, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
           returning ${COLUMNS}`,
          [id, userId, input.name, input.line1, input.line2, input.city, input.postalCode, input.region, input.country, input.phone, isDefault, now],
        );
        if (!rows[0]) throw new Error('insert returned no row');
        return toAddress(rows[0]);
      });
    },
    async update(userId, addressId, patch, now) {
      if (!isUuid(addressId)) return null;
      return db.transaction(async (tx) => {
        await lockOwner(tx, userId);
        const sets: string[] = [];
        const params: unknown[] = [addressId, userId, now];
        for (const [field, column] of Object.entries(FIELD_COLUMNS) as [keyof AddressFields, string][]) {
          const value = patch[field];
          if (value === undefined) continue;
          params.push(value);
          sets.push(`${column} = $${params.length}`);
        }
        if (patch.isDefault !== undefined) {
          // rows, not rowCount: PGlite reports 0 affected rows for a SELECT.
          const owned = await tx.query('select 1 from users.addresses where id = $1 and user_id = $2', [addressId, userId]);
          if (owned.rows.length === 0) return null;
          if (patch.isDefault) await clearDefault(tx, userId);
          params.push(patch.isDefault);
          sets.push(`is_default = $${params.length}`);
        }
        const { rows } = await tx.query<AddressRow>(
          `update users.addresses set ${[...sets, 'updated_at = $3'].join(', ')}
           where id = $1 and user_id = $2
           returning ${COLUMNS}`,
          params,
        );
        return rows[0] ? toAddress(rows[0]) : null;
      });
    },
    async delete(userId, addressId) {
      if (!isUuid(addressId)) return false;
      const result = await db.query('delete from users.addresses where id = $1 and user_id = $2', [addressId, userId]);
      return result.rowCount > 0;
    },
  };
}
