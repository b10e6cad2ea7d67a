package io.keel.http;

import io.keel.core.security.Role;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which roles may call which route: method plus path pattern ({@code /v1/requests/{id}}, {@code {+id}} for the rest
 * of the path) to a set of roles, or open to anyone. A request no rule lists is refused ({@link AccessFilter}): a route
 * is reachable only once it is written here.
 */
public final class RouteTable {
    private final List<Rule> rules;

    private RouteTable(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One route.
     *
     * @param open  true for routes anyone may call (health probes, metrics); {@code roles} is then empty
     */
    public record Rule(String method, String pattern, boolean open, Set<Role> roles) {
        public Rule {
            method = method.toUpperCase(Locale.ROOT);
            roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
        }

        boolean matchesPath(String path) {
            return RouteTable.matches(pattern, path);
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rule for {@code method} on {@code path}, or null. */
    public Rule find(String method, String path) {
        for (Rule r : rules) if (r.method.equals(method) && r.matchesPath(path)) return r;
        return null;
    }

    /** The methods some rule allows on {@code path} (for a 405's {@code Allow}); empty when no rule names the path. */
    public Set<String> methods(String path) {
        Set<String> out = new LinkedHashSet<>();
        for (Rule r : rules) if (r.matchesPath(path)) out.add(r.method);
        return out;
    }

    /** Whether the pattern {@code pattern} lists the route registered as {@code registered} (same template text). */
    public boolean lists(String method, String registered) {
        for (Rule r : rules) if (r.method.equals(method.toUpperCase(Locale.ROOT)) && r.pattern.equals(registered)) return true;
        return false;
    }

    static boolean matches(String pattern, String path) {
        String[] p = pattern.split("/", -1);
        String[] s = path.split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].startsWith("{+")) return i < s.length && !s[i].isEmpty();
            if (i >= s.length) return false;
            if (p[i].startsWith("{")) {
                if (s[i].isEmpty()) return false;
            } else if (!p[i].equals(s[i])) {
                return false;
            }
        }
        return p.length == s.length;
    }

    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        /** A route anyone may call, authenticated or not. */
        public Builder open(String method, String pattern) {
            rules.add(new Rule(method, pattern, true, Set.of()));
            return this;
        }

        /** A route callers holding one of {@code roles} may call. */
        public Builder allow(String method, String pattern, Role... roles) {
            if (roles.length == 0) throw new IllegalArgumentException("name at least one role for " + method + " " + pattern);
            rules.add(new Rule(method, Objects.requireNonNull(pattern), false, Set.of(roles)));
            return this;
        }

        public RouteTable build() {
            return new RouteTable(rules);
        }
    }
}
