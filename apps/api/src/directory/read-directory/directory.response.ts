import { z } from 'zod';

/** An employee as the directory reads on a date; `name` is null where the caller may not read it (ADR 0122). */
export const EmployeeResponse = z.strictObject({
  employeeId: z.string(),
  orgUnitId: z.string().nullable(),
  managerId: z.string().nullable(),
  position: z.string().nullable(),
  hiredFrom: z.string(),
  leftFrom: z.string().nullable(),
  employed: z.boolean(),
  name: z.string().nullable(),
});

/**
 * The directory as GET /directory answers it: the org units in force on the date with their parent
 * and their head (the one employee whose manager works outside the unit, `headOf` in the domain;
 * null when there is none or several), and the employees employed that day.
 */
export const DirectoryResponse = z.strictObject({
  asOf: z.string(),
  orgUnits: z.array(
    z.strictObject({
      orgUnitId: z.string(),
      kind: z.string(),
      parentId: z.string().nullable(),
      name: z.string().nullable(),
      headId: z.string().nullable(),
    }),
  ),
  employees: z.array(EmployeeResponse),
});
