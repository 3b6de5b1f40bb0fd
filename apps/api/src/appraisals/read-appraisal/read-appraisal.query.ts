import { Query } from '@nestjs/cqrs';
import type { Principal } from '../../auth/principal';
import type { AppraisalView } from './read-appraisal.handler';

/** An appraisal folded from its stream, up to `untilRevision` (inclusive) when given: state "as of" a revision. */
export class ReadAppraisalQuery extends Query<AppraisalView> {
  constructor(
    readonly principal: Principal,
    readonly appraisalId: string,
    readonly untilRevision?: bigint,
  ) {
    super();
  }
}
