/** Admin console accounts: roles and their order, and the zod schemas of the account endpoints. */
import * as z from './zod';
import { PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH } from './constants';

// Seed (Permissions): any signed-in user views; Administrator or above edits. Superadmins also manage accounts.
export const ROLES = ['user', 'admin', 'superadmin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` is `required` or above it. */
export const hasRole = (role: Role, required: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(required);

export interface User {
  id: number;
  username: string;
  /** `pbkdf2-sha256$...` from hashPassword(); never leaves the store and the login check. */
  passwordHash: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });

/** A required string of min to max characters. */
const textOf = (min: number, max: number) =>
  z.string({ error: 'is required' }).check(z.minLength(min, min === 1 ? 'is required' : `must be at least ${min} characters`), z.maxLength(max, `must be at most ${max} characters`));

export const usernameSchema = textOf(USERNAME_MIN_LENGTH, USERNAME_MAX_LENGTH).check(z.regex(/^[A-Za-z0-9._@-]+$/, 'may contain only letters, digits, ".", "_", "@" and "-"'));

const passwordSchema = textOf(PASSWORD_MIN_LENGTH, 1024);

// Sign-in checks only presence: rules for new passwords must not lock out accounts made before them.
export const loginSchema = z.strictObject({ username: textOf(1, USERNAME_MAX_LENGTH), password: textOf(1, 1024) });
export type Credentials = z.infer<typeof loginSchema>;

export const userCreateSchema = z.strictObject({ username: usernameSchema, password: passwordSchema, role: roleSchema });
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userPatchSchema = z.partial(z.strictObject({ role: roleSchema, password: passwordSchema, disabled: z.boolean({ error: 'must be true or false' }) }));
export type UserPatch = z.infer<typeof userPatchSchema>;
