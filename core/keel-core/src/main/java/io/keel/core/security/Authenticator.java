package io.keel.core.security;

import java.util.Optional;

/**
 * Turns a bearer credential into a {@link Principal}. Several authenticators may be configured (API keys, OIDC
 * tokens); each is asked in turn and answers empty for a credential that is not of its kind.
 */
public interface Authenticator {
    /**
     * @param bearer the credential after {@code Authorization: Bearer }
     * @return the caller, or empty when the credential is not of this authenticator's kind
     * @throws AuthenticationException when the credential is of this kind but invalid, expired or revoked (401)
     */
    Optional<Principal> authenticate(String bearer);

    /** Asks each of {@code authenticators} in turn; a credential none recognises is a 401. */
    static Principal first(Iterable<? extends Authenticator> authenticators, String bearer) {
        for (Authenticator a : authenticators) {
            Optional<Principal> p = a.authenticate(bearer);
            if (p.isPresent()) return p.get();
        }
        throw new AuthenticationException("the bearer credential is not a Keel API key or an accepted token");
    }
}
