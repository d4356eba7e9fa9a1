export interface AddressFields {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  region: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  phone: string | null;
}

export interface Address extends AddressFields {
  id: string;
  userId: string;
  /** At most one address per user is the default (enforced by a partial unique index). */
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewAddress extends AddressFields {
  isDefault?: boolean;
}

export type AddressPatch = Partial<AddressFields> & { isDefault?: boolean };
