import { Inject } from '@nestjs/common';
import { z } from 'zod';
import { AGGREGATES, valueAt } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import { CONFIG, type Config, localSigning, signLocalToken } from '@verity/platform';
import { CALLER_ROLES } from '../auth/principal';
import { isStreamNotFound } from '../event-store/stream-loader';
import { OrgRelations } from '../directory/org-relations';
import { forbidden, notFound } from '../errors/problem';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { ValidBody, ValidQuery, QueryId } from '../validation/zod.pipe';
import { DevPeopleResponse, DevSignInResponse } from './dev-sign-in.response';
import { ApiController, Route } from '../openapi/route';

export const DevPeopleQuery = z.strictObject({ tenant: QueryId.default('demo') });
export const DevSignInRequest = z.strictObject({
  tenant: QueryId,
  role: z.enum(CALLER_ROLES),
  employeeId: QueryId.optional(),
});
/** As long as the tokens `npm start` prints. */
const TOKEN_SECONDS = 8 * 3600;
/** Roles that are not a person of the directory. */
const ROLES_WITHOUT_PERSON = ['auditor', 'integrator', 'admin'] as const;
/**
 * What the integrator's screen needs (webhooks, their log, the catalogue); not `pii`, nor writing the
 * directory or actuals, which a real integrator's credential is given one by one.
 */
const INTEGRATOR_SCOPES = 'events:read webhooks:manage';

/**
 * "Sign in as" for development and tests: lists a tenant's people with the roles each can take,
 * and signs a token for one as `npm run token` does. Refused when NODE_ENV=production, where people
 * sign in through OpenID Connect, and when JWKS_URL is set (a locally signed token would not verify).
 */
@ApiController('dev', 'dev/sign-in')
export class DevSignInController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly relations: OrgRelations,
  ) {}

  private refuseOutsideDevelopment(): void {
    if (this.config.NODE_ENV === 'production' || this.config.JWKS_URL)
      throw forbidden(
        'Signing in as someone else exists in development and tests only; sign in through your organisation.',
        'dev-sign-in-disabled',
      );
  }

  @Route('GET', 'people', {
    summary: 'Development only: the people of a tenant and the roles each can sign in as',
    answer: DevPeopleResponse,
  })
  async people(@ValidQuery(DevPeopleQuery) query: z.output<typeof DevPeopleQuery>) {
    this.refuseOutsideDevelopment();
    const directory = await this.relations.directory(query.tenant);
    if (directory.status === 'empty') throw notFound(`Tenant "${query.tenant}" has no directory yet.`);
    const names = await this.names(query.tenant);
    const today = new Date().toISOString().slice(0, 10);
    const employed = Object.entries(directory.employees).filter(
      ([, record]) => record.hiredFrom <= today && (record.leftFrom === null || today < record.leftFrom),
    );
    const managers = new Set(employed.map(([, record]) => valueAt(record.manager, today)).filter(Boolean));
    const hr = new Set(directory.hrPartners.map((assignment) => assignment.employeeId));
    const owners = new Set(directory.processOwners.map((assignment) => assignment.employeeId));
    return {
      tenant: query.tenant,
      people: employed.map(([employeeId, record]) => ({
        employeeId,
        name: names.get(employeeId) ?? employeeId,
        position: record.position,
        orgUnitId: valueAt(record.orgUnit, today) ?? null,
        roles: [
          ...(hr.has(employeeId) ? ['hr'] : []),
          ...(owners.has(employeeId) ? ['process-owner'] : []),
          ...(managers.has(employeeId) ? ['manager'] : []),
          'employee',
        ],
      })),
      otherRoles: ROLES_WITHOUT_PERSON,
    };
  }

  @Route('POST', '', {
    summary: 'Development only: a bearer token for a person and role of a tenant',
    answer: DevSignInResponse,
    status: 200,
  })
  async signIn(
    @ValidBody(DevSignInRequest, { tenant: 'demo', role: 'employee', employeeId: 'e-1121' })
    body: z.output<typeof DevSignInRequest>,
  ) {
    this.refuseOutsideDevelopment();
    const token = await signLocalToken(localSigning(this.config), {
      tenant: body.tenant,
      role: body.role,
      subject: body.employeeId ?? `${body.role}-${body.tenant}`,
      employeeId: body.employeeId,
      scope: body.role === 'integrator' ? INTEGRATOR_SCOPES : undefined,
      expiresIn: TOKEN_SECONDS,
    });
    return { token, expiresIn: TOKEN_SECONDS };
  }

  /** Names are personal data, kept only in the hiring events (`pii`), not in the directory's state. */
  private async names(tenant: string): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    try {
      for (const event of await this.store.readStream(streamName(AGGREGATES.directory, tenant, tenant)))
        if (event.type === 'EmployeeHired') {
          const data = event.data as { employeeId: string; pii?: { name?: string } };
          if (data.pii?.name) names.set(data.employeeId, data.pii.name);
        }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return names;
  }
}
