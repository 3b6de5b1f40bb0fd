import { Inject } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '@verity/platform';
import { listNotifications, NOTIFICATION_CURSOR } from '@verity/projections/timers';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { ValidQuery } from '../../validation/zod.pipe';
import { NotificationsResponse } from './notifications.response';
import { ApiController, Route } from '../../openapi/route';
import { PERSON_ROLES } from '../../auth/role-sets';

export const NotificationsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().regex(NOTIFICATION_CURSOR, 'must be the `next` cursor of an earlier page').optional(),
});

/** The role inboxes a credential reads besides the caller's own notifications. */
const ROLE_INBOXES: Partial<Record<Principal['role'], string>> = {
  hr: 'hr',
  'process-owner': 'process-owner',
};

/**
 * The in-app notifications of tasks assigned (a step opening on the caller, with a link to act) and of
 * reminders, escalations and missed deadlines (written by the worker as steps open and timers fire): those addressed to the caller by name, and those of the role inbox their
 * credential holds (HR, process owner). E-mail sends the same notifications; this is where they stay.
 */
@ApiController('inbox', 'notifications')
export class NotificationsController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Route('GET', '', {
    roles: PERSON_ROLES,
    summary: "The caller's notifications, newest first, with a cursor for older pages",
    answer: NotificationsResponse,
  })
  async list(
    @CurrentPrincipal() me: Principal,
    @ValidQuery(NotificationsQuery) query: z.output<typeof NotificationsQuery>,
  ) {
    const role = ROLE_INBOXES[me.role];
    return listNotifications(
      this.pool,
      me.tenantId,
      { employeeId: me.employeeId ?? null, roles: role ? [role] : [] },
      { limit: query.limit, before: query.before },
    );
  }
}
