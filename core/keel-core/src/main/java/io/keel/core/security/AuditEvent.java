package io.keel.core.security;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One security-relevant action, as handed to {@link AuditLog#append}.
 *
 * @param at      when it happened (the log's clock when appended without a time)
 * @param actor   who did it
 * @param action  what was done, a dotted name such as {@code model.promoted} (see the constants)
 * @param target  what it was done to, e.g. {@code model:support-bot@3} or {@code document:docs/a.md}; may be empty
 * @param details a small JSON object: values are strings, numbers, booleans, null, lists or maps of the same
 */
public record AuditEvent(Instant at, AuditActor actor, String action, String target, Map<String, Object> details) {
    public static final String KEY_CREATED = "key.created";
    public static final String KEY_REVOKED = "key.revoked";
    public static final String KEY_ROTATED = "key.rotated";
    public static final String ROLE_CHANGED = "role.changed";
    public static final String MODEL_REGISTERED = "model.registered";
    public static final String MODEL_PROMOTED = "model.promoted";
    public static final String MODEL_ROLLED_BACK = "model.rolled_back";
    public static final String MODEL_ARCHIVED = "model.archived";
    public static final String POLICY_CHANGED = "policy.changed";
    public static final String PROMPT_LABEL_CHANGED = "prompt.label.changed";
    public static final String DOCUMENT_DELETED = "document.deleted";
    public static final String QUARANTINE_RELEASED = "quarantine.released";
    public static final String REQUESTS_PURGED = "requests.purged";
    public static final String TENANT_READ = "tenant.read";

    /** Lower-case dotted words: {@code key.created}, {@code prompt.label.changed}. */
    public static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*){1,4}");
    /** Most characters of a target. */
    public static final int MAX_TARGET = 512;

    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        if (!ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("an audit action is dotted lower-case words such as 'model.promoted'; got '" + action + "'");
        }
        target = target == null ? "" : target;
        if (target.length() > MAX_TARGET) throw new IllegalArgumentException("an audit target has at most " + MAX_TARGET + " characters");
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        for (Object v : details.values()) checkValue(v);
    }

    /** An event stamped by the log's clock when appended. */
    public static AuditEvent of(AuditActor actor, String action, String target, Map<String, Object> details) {
        return new AuditEvent(null, actor, action, target, details);
    }

    /** The same event at {@code time}. */
    public AuditEvent at(Instant time) {
        return new AuditEvent(time, actor, action, target, details);
    }

    private static void checkValue(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) return;
        if (v instanceof List<?> l) {
            l.forEach(AuditEvent::checkValue);
            return;
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String)) throw new IllegalArgumentException("audit detail keys must be strings");
                checkValue(e.getValue());
            }
            return;
        }
        throw new IllegalArgumentException("an audit detail must be JSON (string, number, boolean, null, list, map); got "
                + v.getClass().getSimpleName());
    }
}
