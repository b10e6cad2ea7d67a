package io.keel.test;

import io.keel.core.guard.Guard;

/** {@link Guard#ALLOW_ALL}, the guard of routes without a policy, passes the guard contract. */
class AllowAllGuardContractTest extends GuardContractTest {
    @Override
    protected Guard createGuard() {
        return Guard.ALLOW_ALL;
    }
}
