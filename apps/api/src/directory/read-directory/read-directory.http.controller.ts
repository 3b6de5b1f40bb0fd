import { Inject, Param } from '@nestjs/common';
import { z } from 'zod';
import {
  CalendarDate,
  headOf,
  relationOf,
  seesName,
  valueAt,
  type Directory,
  type Relation,
} from '@verity/domain';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { asViewer, OrgRelations } from '../org-relations';
import { CLOCK, todayOf, type Clock } from '../../clock/clock';
import { notFound } from '../../errors/problem';
import { ValidQuery } from '../../validation/zod.pipe';
import { DirectoryResponse, EmployeeResponse } from './directory.response';
import { ApiController, Route } from '../../openapi/route';
import { OVERSEEING_ROLES, PERSON_ROLES } from '../../auth/role-sets';

const AsOf = z.object({ asOf: CalendarDate.optional() });
type Active = Extract<Directory, { status: 'active' }>;

/**
 * The directory as of a date, folded from the tenant's directory stream: ids and structure, and
 * each employee's `name` where the domain's `seesName` lets it reach the caller (the person, the
 * managers of their line, HR, admins, the `pii` scope); `null` otherwise (ADR 0122).
 */
@ApiController('directory')
export class ReadDirectoryController {
  constructor(
    private readonly relations: OrgRelations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', '', {
    roles: OVERSEEING_ROLES,
    summary: 'Org units (with their head) and employees in force on a date (default: today)',
    answer: DirectoryResponse,
  })
  async directory(@CurrentPrincipal() me: Principal, @ValidQuery(AsOf) query: z.output<typeof AsOf>) {
    const state = await this.active(me);
    const date = query.asOf ?? todayOf(this.clock);
    const nameOf = await this.namesFor(me, state);
    return {
      asOf: date,
      orgUnits: Object.entries(state.orgUnits)
        .filter(([, unit]) => unit.createdFrom <= date)
        .map(([orgUnitId, unit]) => ({
          orgUnitId,
          kind: unit.kind,
          parentId: valueAt(unit.parent, date) ?? null,
          name: valueAt(unit.name, date) ?? null,
          headId: headOf(state, orgUnitId, date),
        })),
      employees: Object.keys(state.employees)
        .map((employeeId) => ({ ...employeeView(state, employeeId, date), name: nameOf(employeeId) }))
        .filter((view) => view.employed),
    };
  }

  @Route('GET', 'employees/:employeeId', {
    roles: PERSON_ROLES,
    summary: "An employee's unit, manager and position on a date",
    answer: EmployeeResponse,
  })
  async employee(
    @CurrentPrincipal() me: Principal,
    @Param('employeeId') employeeId: string,
    @ValidQuery(AsOf) query: z.output<typeof AsOf>,
  ) {
    const state = await this.active(me);
    if (!state.employees[employeeId]) throw notFound(`No employee "${employeeId}".`);
    const nameOf = await this.namesFor(me, state);
    return {
      ...employeeView(state, employeeId, query.asOf ?? todayOf(this.clock)),
      name: nameOf(employeeId),
    };
  }

  /** Each employee's name as the caller may read it: the relation is taken today, as for commands. */
  private async namesFor(me: Principal, state: Active): Promise<(employeeId: string) => string | null> {
    const names = await this.relations.names(me.tenantId);
    const now = this.clock.now().toISOString();
    return (employeeId) => {
      const relation: Relation = !me.employeeId
        ? 'none'
        : me.employeeId === employeeId
          ? 'self'
          : relationOf(state, me.employeeId, employeeId, now);
      return seesName(asViewer(me, relation)) ? (names.get(employeeId) ?? null) : null;
    };
  }

  private async active(me: Principal): Promise<Active> {
    const state = await this.relations.directory(me.tenantId);
    if (state.status === 'empty') throw notFound('This tenant has no directory yet.');
    return state;
  }
}

function employeeView(state: Active, employeeId: string, date: string) {
  const record = state.employees[employeeId];
  return {
    employeeId,
    orgUnitId: valueAt(record.orgUnit, date) ?? null,
    managerId: valueAt(record.manager, date) ?? null,
    position: record.position,
    hiredFrom: record.hiredFrom,
    leftFrom: record.leftFrom,
    employed: record.hiredFrom <= date && (record.leftFrom === null || date < record.leftFrom),
  };
}
