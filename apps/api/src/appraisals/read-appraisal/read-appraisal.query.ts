import type { Principal } from '../../auth/principal';

/** An appraisal folded from its stream, up to `untilRevision` (inclusive) when given: state "as of" a revision. */
export class ReadAppraisalQuery {
  constructor(
    readonly principal: Principal,
    readonly appraisalId: string,
    readonly untilRevision?: bigint,
  ) {}
}
