package io.keel.core.security;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.answer.Caller;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The mandatory retrieval filters of an authenticated caller: its tenant, and its ACL groups (a document with an
 * empty ACL is readable by everyone in its tenant). They replace whatever {@code tenant} and {@code acl} filters the
 * request named, so a caller can narrow its search by other fields but never widen it past its credential.
 */
public final class DocumentAccess {
    /** The ACL value searched for a caller with no groups: no document lists it, so only open documents match. */
    static final String NO_GROUP = "\u0000";

    private DocumentAccess() {
    }

    /**
     * {@code query} with the caller's tenant and groups enforced; unchanged for an unauthenticated (open-mode) caller.
     *
     * @throws KeelException 403 when the caller's credential may not read the query's collection
     */
    public static Query enforce(Query query, Caller caller) {
        if (caller == null || !caller.restricted()) return query;
        checkCollection(caller.principal(), query.collection());
        return query.withFilters(enforce(query.filters(), caller.principal()));
    }

    /** @throws KeelException 403 when {@code principal}'s {@code allowed_collections} do not include {@code collection} */
    public static void checkCollection(Principal principal, String collection) {
        if (principal == null || principal.limits().allowsCollection(collection)) return;
        throw new KeelException(ErrorCode.FORBIDDEN, "the credential " + principal.id() + " may not use collection '"
                + collection + "'; its allowed collections are " + ApiKey.sorted(principal.limits().allowedCollections()));
    }

    public static Filters enforce(Filters requested, Principal principal) {
        Map<String, Set<String>> terms = new LinkedHashMap<>(requested.terms());
        terms.put("tenant", Set.of(principal.tenant()));
        terms.put("acl", principal.groups().isEmpty() ? Set.of(NO_GROUP) : principal.groups());
        return new Filters(terms);
    }
}
