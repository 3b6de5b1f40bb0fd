/**
 * Mints a local JWT for trying the API: `npm run token -- --role hr --tenant demo [--sub <employeeId>]`.
 * Signs with JWT_SECRET (HS256), for JWT_ISSUER and JWT_AUDIENCE. Refuses to run when NODE_ENV=production.
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit, localSigning, signLocalToken } from '../../libs/platform/src';
import { TENANT_ID_RULE, isTenantId } from '../../libs/event-store/src/tenant-id';

const ROLES = ['employee', 'manager', 'hr', 'process-owner', 'auditor', 'integrator', 'admin'];

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.NODE_ENV === 'production') {
    process.stderr.write('token: refusing to mint tokens when NODE_ENV=production\n');
    process.exit(1);
  }
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'hr' },
      tenant: { type: 'string', default: 'demo' },
      sub: { type: 'string' },
      employee: { type: 'string' },
      scope: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  const role = values.role!;
  if (!ROLES.includes(role)) {
    process.stderr.write(`token: --role must be one of ${ROLES.join(', ')}\n`);
    process.exit(2);
  }
  if (!isTenantId(values.tenant)) {
    process.stderr.write(`token: --tenant must be a tenant id: ${TENANT_ID_RULE}\n`);
    process.exit(2);
  }
  const sub = values.sub ?? `${role}-1`;
  // --sub names the employee too unless --employee says otherwise (employees and managers act as themselves).
  const employeeId = values.employee ?? (values.sub ? values.sub : undefined);
  const token = await signLocalToken(localSigning(config), {
    tenant: values.tenant,
    role,
    subject: sub,
    employeeId,
    scope: values.scope,
    expiresIn: values.ttl!,
  });
  process.stdout.write(`${token}\n`);
}

void main();
