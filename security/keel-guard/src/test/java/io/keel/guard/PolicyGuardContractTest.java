package io.keel.guard;

import io.keel.core.guard.Guard;
import io.keel.guard.policy.PolicyLoader;
import io.keel.test.GuardContractTest;

/**
 * {@link PolicyGuard} with the bundled policy and the embedded MiniLM model passes the guard contract: its detectors
 * decide every verdict, the suite checks only that the verdicts, the streaming filter and concurrent calls keep the
 * SPI's promises.
 */
class PolicyGuardContractTest extends GuardContractTest {
    @Override
    protected Guard createGuard() {
        return PolicyGuard.builder(PolicyLoader.defaults()).embedder(TestData.embedder()).build();
    }

    @Override
    protected void closeGuard(Guard guard) {
        ((PolicyGuard) guard).close();
    }
}
