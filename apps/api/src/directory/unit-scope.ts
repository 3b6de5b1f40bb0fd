import { z } from 'zod';
import { unitAndBelow, type Directory } from '@verity/domain';
import { notFound } from '../errors/problem';

/** With `orgUnitId`: the units below it too. */
export const IncludeSubUnits = z.enum(['true', 'false']).default('true');

/**
 * The units a read naming an org unit covers: the unit and, unless `includeSubUnits` is 'false',
 * those below it on `now`. A unit the tenant's directory does not know is not found.
 */
export function unitScope(
  directory: Directory,
  orgUnitId: string,
  includeSubUnits: z.output<typeof IncludeSubUnits>,
  now: string,
): string[] {
  if (directory.status === 'empty' || !(orgUnitId in directory.orgUnits))
    throw notFound(`No org unit "${orgUnitId}".`);
  return includeSubUnits === 'false' ? [orgUnitId] : unitAndBelow(directory, orgUnitId, now);
}
