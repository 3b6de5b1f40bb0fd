import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module';
import { ErrorsModule } from './errors/errors.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ValidationModule } from './validation/validation.module';

/**
 * The cross-cutting pieces every controller relies on: problem+json errors, rate limiting,
 * authentication (`@Roles`), Idempotency-Key, text checks on every input, and the CQRS buses. Registered once in AppModule.
 * Order matters: the rate limiter (a global guard) runs before `@Roles`' guard, and Idempotency-Key
 * (applied by `@Roles`, or by the command routes themselves) after both.
 */
@Global()
@Module({
  imports: [
    ErrorsModule,
    RateLimitModule,
    AuthModule,
    IdempotencyModule,
    ValidationModule,
    CqrsModule.forRoot(),
  ],
  exports: [AuthModule, IdempotencyModule, CqrsModule],
})
export class ApiCoreModule {}
