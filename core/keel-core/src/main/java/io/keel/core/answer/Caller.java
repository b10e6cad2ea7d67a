package io.keel.core.answer;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.util.regex.Pattern;

/**
 * Who a request is for, as far as cost attribution, budgets and access are concerned. When authentication is on, the
 * tenant comes from the credential ({@link #principal}); in open mode from the {@code X-Keel-Tenant},
 * {@code X-Keel-User}, {@code X-Keel-App} and {@code X-Keel-Feature} headers.
 *
 * @param tenant    never null; {@value #DEFAULT_TENANT} when the caller names none
 * @param user      end user, or null
 * @param app       calling application, or null
 * @param feature   product feature within the app, or null
 * @param principal the authenticated credential, whose tenant and ACL groups retrieval enforces; null in open mode
 *                  (no authentication configured) and for local commands
 */
public record Caller(String tenant, String user, String app, String feature, io.keel.core.security.Principal principal) {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:@/+-]{1,128}");
    public static final String DEFAULT_TENANT = "default";
    public static final Caller ANONYMOUS = new Caller(DEFAULT_TENANT, null, null, null);

    public Caller {
        tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
        if (principal != null && !principal.tenant().equals(tenant)) {
            throw new IllegalArgumentException("a caller's tenant is its credential's tenant " + principal.tenant() + "; got " + tenant);
        }
        check("tenant", tenant);
        check("user", user);
        check("app", app);
        check("feature", feature);
    }

    /** An unauthenticated caller (open mode, local commands). */
    public Caller(String tenant, String user, String app, String feature) {
        this(tenant, user, app, feature, null);
    }

    /** Whether retrieval must be restricted to this caller's tenant and ACL groups. */
    public boolean restricted() {
        return principal != null;
    }

    /**
     * The caller named by the {@code X-Keel-Tenant}, {@code X-Keel-User}, {@code X-Keel-App} and {@code X-Keel-Feature}
     * headers; blank or absent headers leave that tag unset.
     *
     * @param header header lookup by name, returning null when absent
     */
    public static Caller fromHeaders(java.util.function.Function<String, String> header) {
        return new Caller(blankToNull(header.apply("X-Keel-Tenant")), blankToNull(header.apply("X-Keel-User")),
                blankToNull(header.apply("X-Keel-App")), blankToNull(header.apply("X-Keel-Feature")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static void check(String name, String value) {
        if (value != null && !TAG.matcher(value).matches()) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "the " + name + " tag must be 1-128 characters of letters, digits and "
                    + "._:@/+- ; got '" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
        }
    }
}
