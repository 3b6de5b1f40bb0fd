import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotentRequests } from './idempotent-requests';

/**
 * Idempotency-Key on POST. Not a global interceptor: `@Roles` applies `IdempotencyInterceptor`, and
 * the command routes call `IdempotentRequests` themselves (docs/adr/0171).
 */
@Module({
  providers: [IdempotencyRepository, IdempotentRequests, IdempotencyInterceptor],
  exports: [IdempotencyRepository, IdempotentRequests, IdempotencyInterceptor],
})
export class IdempotencyModule {}
