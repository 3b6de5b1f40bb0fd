import { z } from 'zod';
import { FieldIssueResponse } from '../../openapi/answer-pieces';

/** POST /directory/import: how many rows were imported and events appended, at which revision. */
export const ImportDirectoryResponse = z.strictObject({
  imported: z.number().int(),
  revision: z.string().nullable(),
  events: z.number().int(),
});

/** POST /directory/import/preview: each row accepted or refused with its reasons; nothing written. */
export const PreviewDirectoryImportResponse = z.strictObject({
  rows: z.array(
    z.strictObject({
      row: z.number().int(),
      command: z.string().nullable(),
      id: z.string().nullable(),
      accepted: z.boolean(),
      issues: z.array(FieldIssueResponse),
    }),
  ),
  accepted: z.number().int(),
  refused: z.number().int(),
  /** True when `POST /directory/import` of the same body would import every row now. */
  importable: z.boolean(),
  revision: z.string().nullable(),
  /** The events the import would append, counted by type (empty while a row is refused). */
  events: z.array(z.strictObject({ type: z.string(), count: z.number().int() })),
});
