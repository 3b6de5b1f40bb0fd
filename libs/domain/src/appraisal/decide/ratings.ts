import { ConflictError, ForbiddenError } from '../../shared/errors';
import { requireRelation, requireRole } from '../../shared/authorize';
import type { StepKind } from '../../workflow/workflow-definition.schema';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import { nominatedRater } from './nominations';
import { SELF, NOBODY_ELSE, requireStatus, ratingOf, type Decision } from './context';

export function submitSelfAssessment(
  command: AppraisalCommandOf<'SubmitSelfAssessment'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, complete } = decision;
  requireRelation(ctx, SELF, NOBODY_ELSE, 'Submitting the self-assessment');
  requireStatus(current, ['in-progress'], 'Submitting the self-assessment');
  if (current.selfRating !== null)
    throw new ConflictError('self-assessment-submitted', 'the self-assessment is already submitted');
  const rating = ratingOf(definition, command.data.rating);
  return [
    {
      type: 'SelfAssessmentSubmitted',
      data: { appraisalId: id, at, rating, pii: { comment: command.data.comment } },
    },
    ...complete('self-assessment'),
  ];
}

export function submitRating(
  command: AppraisalCommandOf<'SubmitRating'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, complete } = decision;
  const group = command.data.group;
  if (group === 'expert') requireRole(ctx, ['hr', 'process-owner'], 'Rating as an expert');
  // An approved nominee rates in the group whatever the directory says of them.
  else if (nominatedRater(current, ctx.actor.employeeId, group))
    requireRole(ctx, ['employee', 'manager'], `Rating as ${group}`);
  else
    requireRelation(
      ctx,
      { roles: group === 'peer' ? ['employee', 'manager'] : ['manager'], relations: [group] },
      NOBODY_ELSE,
      `Rating as ${group}`,
    );
  requireStatus(current, ['in-progress'], 'Rating');
  const groupDefinition = definition.raterGroups.find((candidate) => candidate.group === group);
  if (!groupDefinition)
    throw new ForbiddenError('rater-group-not-defined', `the workflow has no "${group}" rater group`);
  if (current.ratings.some((rating) => rating.raterId === ctx.actor.id && rating.group === group))
    throw new ConflictError('already-rated', `this rater has already rated as ${group}`);
  const rating = ratingOf(definition, command.data.rating);
  const responses = current.ratings.filter((existing) => existing.group === group).length + 1;
  const stepKind: StepKind | null =
    group === 'peer' ? 'peer-rating' : group === 'manager' ? 'manager-rating' : null;
  return [
    {
      type: 'RatingSubmitted',
      data: {
        appraisalId: id,
        at,
        raterId: ctx.actor.id,
        group,
        rating,
        anonymous: groupDefinition.anonymous,
        pii: { comment: command.data.comment },
      },
    },
    ...(stepKind && responses >= groupDefinition.minResponses ? complete(stepKind) : []),
  ];
}
