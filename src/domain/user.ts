/** Admin console accounts: roles and their order, and the zod schemas of the account endpoints. */
import * as z from 'zod';
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

export const usernameSchema = z
  .string({ error: 'is required' })
  .min(USERNAME_MIN_LENGTH, `must be at least ${USERNAME_MIN_LENGTH} characters`)
  .max(USERNAME_MAX_LENGTH, `must be at most ${USERNAME_MAX_LENGTH} characters`)
  .regex(/^[A-Za-z0-9._@-]+$/, 'may contain only letters, digits, ".", "_", "@" and "-"');

const passwordSchema = z
  .string({ error: 'is required' })
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(1024, 'must be at most 1024 characters');

// Sign-in checks only presence: rules for new passwords must not lock out accounts made before them.
export const loginSchema = z
  .object({
    username: z.string({ error: 'is required' }).min(1, 'is required').max(USERNAME_MAX_LENGTH, `must be at most ${USERNAME_MAX_LENGTH} characters`),
    password: z.string({ error: 'is required' }).min(1, 'is required').max(1024, 'must be at most 1024 characters'),
  })
  .strict();
export type Credentials = z.infer<typeof loginSchema>;

export const userCreateSchema = z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema }).strict();
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userPatchSchema = z
  .object({ role: roleSchema, password: passwordSchema, disabled: z.boolean({ error: 'must be true or false' }) })
  .partial()
  .strict();
export type UserPatch = z.infer<typeof userPatchSchema>;
