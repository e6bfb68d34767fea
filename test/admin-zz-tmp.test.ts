import { expect, it } from 'vitest';
import { profilePatchSchema } from '../src/domain/profile';
it('tmp', () => {
  const p = profilePatchSchema.parse({ touchMessages: { smsText: 'x' }, assistedLogin: { useLocalDatabase: true } });
  expect(p).toEqual({ touchMessages: { smsText: 'x' }, assistedLogin: { useLocalDatabase: true } });
  expect(profilePatchSchema.safeParse({ touchMessages: { smsText: 'x'.repeat(21) } }).success).toBe(false);
  expect(profilePatchSchema.safeParse({ assistedLogin: { profile: null } }).success).toBe(true);
});
