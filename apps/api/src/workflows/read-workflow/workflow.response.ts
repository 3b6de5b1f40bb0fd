import { z } from 'zod';
import { ScorecardTemplate, WorkflowDefinition } from '@verity/domain';
import { VersionNumber } from '../../openapi/answer-pieces';

/** GET /workflows/{id} and /scorecard-templates/{id}: status, latest version, the versions published. */
export const DefinitionSummaryResponse = z.strictObject({
  id: z.string(),
  status: z.string(),
  latestVersion: VersionNumber,
  versions: z.array(VersionNumber),
  revision: z.string(),
});

/** GET /workflows/{id}/diff: each change between two versions, by JSON path. */
export const DefinitionDiffResponse = z.strictObject({
  workflowId: z.string(),
  from: VersionNumber,
  to: VersionNumber,
  changes: z.array(
    z.strictObject({
      path: z.string(),
      op: z.enum(['added', 'removed', 'changed']),
      from: z.unknown().optional(),
      to: z.unknown().optional(),
    }),
  ),
});

/** One published version of a definition, as the domain stored it (defaults filled in). */
const publishedVersion = <Definition extends z.ZodType>(definition: Definition) =>
  z.strictObject({ id: z.string(), version: VersionNumber, definition });

/**
 * GET /workflows/{id}/versions/{version}: one published version. The definition is the domain's own
 * schema: one description of a workflow.
 */
export const WorkflowVersionResponse = publishedVersion(WorkflowDefinition);

/** GET /scorecard-templates/{id}/versions/{version}: one published scorecard template. */
export const ScorecardTemplateVersionResponse = publishedVersion(ScorecardTemplate);

/** POST /workflows/{id}/versions/preview: a draft checked as publishing would, and its diff; nothing written. */
export const VersionPreviewResponse = z.strictObject({
  workflowId: z.string(),
  /** The caller's tenant's workflow stream the version would be appended to. */
  streamId: z.string(),
  /** The version publishing the draft would create. */
  version: VersionNumber,
  /** The events publishing would append. */
  events: z.array(z.string()),
  /** The latest published version the diff is against; null for a first version. */
  against: VersionNumber.nullable(),
  changes: DefinitionDiffResponse.shape.changes.nullable(),
});
