import { z } from 'zod';
import { CALLER_ROLES } from '../auth/principal';

const Role = z.enum(CALLER_ROLES);

/** GET /dev/sign-in/people: a tenant's people with the roles each can sign in as, and the roles with no person. */
export const DevPeopleResponse = z.strictObject({
  tenant: z.string(),
  people: z.array(
    z.strictObject({
      employeeId: z.string(),
      name: z.string(),
      position: z.string().nullable(),
      orgUnitId: z.string().nullable(),
      roles: z.array(Role),
    }),
  ),
  otherRoles: z.array(Role),
});

/** POST /dev/sign-in: a bearer token and its lifetime in seconds. */
export const DevSignInResponse = z.strictObject({ token: z.string(), expiresIn: z.number().int() });
