import { Global, Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';
import { ApiKeysController } from './api-keys.http.controller';
import { FailedAuthenticationLimiter } from './failed-authentication.limiter';
import { SignInConfigController } from './sign-in-config.http.controller';

/** Global so any feature module's controllers can use `@Roles` without importing this module. */
@Global()
@Module({
  controllers: [ApiKeysController, SignInConfigController],
  providers: [TokenVerifier, ApiKeysRepository, FailedAuthenticationLimiter, AuthGuard],
  exports: [TokenVerifier, ApiKeysRepository, FailedAuthenticationLimiter, AuthGuard],
})
export class AuthModule {}
