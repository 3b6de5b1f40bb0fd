import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable } from 'rxjs';
import { IdempotentRequests, type IdempotentRequest, type OpenClaim } from './idempotent-requests';

/** Where the claim travels from the interceptor to a handler that sends a command (`claimOf`). */
const CLAIM = Symbol('idempotency claim');

/**
 * `Idempotency-Key` on the routes `@Roles` guards (IdempotentRequests says how). Applied by `@Roles`
 * rather than globally: a route with no caller has no key to honour, and the command routes hold
 * their claim themselves, so neither pays Nest's interceptor chain (docs/adr/0171).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly requests: IdempotentRequests) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<IdempotentRequest & { [CLAIM]?: OpenClaim }>();
    if (!this.requests.applies(request)) return next.handle();
    return from(
      this.requests.handle(request, http.getResponse(), (claim) => {
        request[CLAIM] = claim;
        return lastValueFrom(next.handle(), { defaultValue: undefined });
      }),
    );
  }
}

/** The claim the interceptor holds for this request, for a handler that sends a command with it. */
export function claimOf(request: object): OpenClaim | undefined {
  return (request as { [CLAIM]?: OpenClaim })[CLAIM];
}
