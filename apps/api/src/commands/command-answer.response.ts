import { z } from 'zod';
import type { CommandType, CREATED_ID_FIELDS } from '@verity/domain';

type CreatedIdField = (typeof CREATED_ID_FIELDS)[keyof typeof CREATED_ID_FIELDS];

/**
 * The commands that can record an event bringing something new into an appraisal, and the id field
 * their answer's event then carries (`createdIdOf`): a client needs that id for the next command.
 * Scoring a period below target requires an improvement action, whichever command scored it.
 */
export const CREATED_BY: Partial<Record<CommandType, readonly CreatedIdField[]>> = {
  FileRedLineBreach: ['breachId'],
  ScorePeriod: ['improvementId'],
  RescoreBehaviour: ['improvementId'],
  WaiveVeto: ['improvementId'],
  FileAppeal: ['appealId'],
  AddAnnotation: ['annotationId'],
  RequestPlanChange: ['changeId'],
  NominateRater: ['nominationId'],
};

/**
 * A command's answer as OpenAPI describes it: the stream written, its new revision (null when nothing
 * was appended) and each event recorded, with the id of what it created for the commands that create.
 */
export function commandAnswerOf(command: CommandType) {
  const createdIds = Object.fromEntries(
    (CREATED_BY[command] ?? []).map((field) => [field, z.string().optional()]),
  );
  return z.strictObject({
    streamId: z.string(),
    revision: z.string().nullable(),
    events: z.array(z.strictObject({ eventId: z.string(), type: z.string(), ...createdIds })),
  });
}
