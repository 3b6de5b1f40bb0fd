import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Pool } from 'pg';
import { sales4232Workflow } from '@verity/domain';
import { PG_POOL } from '@verity/platform';
import { ROLES_KEY } from '../auth/auth.guard';
import type { TenantFixture } from './tenant-fixture';

export interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express-style: `/appraisals/:appraisalId/approve-plan`. */
  path: string;
  params: string[];
  /** Has `@Roles` (authenticated); false for public routes such as /health. */
  guarded: boolean;
  roles: string[];
  controller: string;
  handler: string;
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every route the Nest router serves, read from the controllers' metadata (so new routes are included automatically). */
export function routeTable(app: INestApplication): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const seen = new Set<unknown>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      const prefixes = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const classRoles = Reflect.getMetadata(ROLES_KEY, controller) as string[] | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (paths === undefined || method === undefined) continue;
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) as string[] | undefined) ?? classRoles;
        for (const prefix of prefixes) {
          for (const sub of ([] as string[]).concat(paths)) {
            const path = join(prefix, sub);
            routes.push({
              method: RequestMethod[method] as RouteInfo['method'],
              path,
              params: [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]),
              guarded: roles !== undefined,
              roles: roles ?? [],
              controller: controller.name,
              handler: name,
            });
          }
        }
      }
    }
  }
  return routes;
}

export const fillPath = (path: string, values: Record<string, string>) =>
  path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? `unknown-${name}`),
  );

/**
 * A value for every route parameter of a tenant set up by `setUpTenant` (its cycle, e-ann's
 * appraisal, the sales-4232 workflow, scorecard template card-a published here, one of its events),
 * so a sweep over `routeTable` can call each route on something that exists.
 */
export async function routeParameterIds(
  app: INestApplication,
  tenant: TenantFixture,
  more: Record<string, string> = {},
): Promise<Record<string, string>> {
  const template = { definition: sales4232Workflow.scorecard };
  await tenant.postOk(
    'owner',
    '/scorecard-templates/card-a/versions',
    template,
    'PublishScorecardTemplateVersion',
  );
  const events = await app
    .get<Pool>(PG_POOL)
    .query<{ event_id: string }>('SELECT event_id::text FROM events WHERE tenant_id = $1 LIMIT 1', [
      tenant.tenant,
    ]);
  return {
    appraisalId: await tenant.appraisalOf('e-ann'),
    workflowId: 'sales-4232',
    templateId: 'card-a',
    cycleId: 'c2025',
    orgUnitId: 'sales',
    employeeId: 'e-ann',
    version: '1',
    eventId: events.rows[0].event_id,
    ...more,
  };
}
