import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/password-policy.ts';
import { PERMISSIONS } from '../../../shared/http/permissions.ts';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
// CLDR also names ISO's user-assigned and grouping codes (ZZ "Unknown Region", EU, UN...); none is a country. XK (Kosovo) is kept.
const NOT_COUNTRIES = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;
// Intl echoes an unknown code back instead of naming it, which tells real ISO 3166 codes from made-up ones.
const isCountryCode = (code: string) => /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.test(code) && regionNames.of(code) !== code;

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

// Trimmed before the format check: a pasted address often carries a stray space.
export const emailSchema = z.string().trim().pipe(z.email({ message: 'must be an email address' }).max(254));

export const registerBody = z.object({
  email: emailSchema,
  password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH),
});

export const logInBody = z.object({
  email: emailSchema,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH),
});

const addressFields = {
  name: text(200),
  line1: text(200),
  line2: optionalText(200),
  city: text(100),
  postalCode: text(20),
  region: optionalText(100),
  country: z
    .string()
    .transform((code) => code.toUpperCase())
    .refine(isCountryCode, { message: 'must be an ISO 3166-1 alpha-2 country code, e.g. FR' }),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()./-]{4,32}$/, { message: 'must be a phone number, e.g. +33 1 23 45 67 89' })
    .nullable()
    .optional(),
  isDefault: z.boolean().optional(),
};

export const newAddressBody = z.object(addressFields);

export const addressPatchBody = z
  .object({
    name: addressFields.name.optional(),
    line1: addressFields.line1.optional(),
    line2: addressFields.line2,
    city: addressFields.city.optional(),
    postalCode: addressFields.postalCode.optional(),
    region: addressFields.region,
    country: addressFields.country.optional(),
    phone: addressFields.phone,
    isDefault: addressFields.isDefault,
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'must change at least one field',
  });

export const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const userDto = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(['customer', 'staff', 'admin']),
  permissions: z.array(z.enum(PERMISSIONS)).describe('what this role may do in the back office; empty for customers'),
  createdAt: z.string(),
});

export const signedInDto = z.object({
  user: userDto,
  /** Bearer token for mobile clients; web clients use the httpOnly cookie set alongside. */
  token: z.string(),
  csrfToken: z.string(),
  expiresAt: z.string(),
  /**
   * This device's token (also the httpOnly `device` cookie). Sent back on later sign-ins as the
   * cookie or `x-device-token`, it keeps this device's attempts apart from anyone else's.
   */
  deviceToken: z.string(),
});

export const registeredDto = z.object({ message: z.string() });

export const addressDto = z.object({
  id: z.string(),
  name: z.string(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  postalCode: z.string(),
  region: z.string().nullable(),
  country: z.string(),
  phone: z.string().nullable(),
  isDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const userPageDto = z.object({
  users: z.array(userDto),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export type UserDto = z.output<typeof userDto>;
export type SignedInDto = z.output<typeof signedInDto>;
export type AddressDto = z.output<typeof addressDto>;
export type UserPageDto = z.output<typeof userPageDto>;
