package io.keel.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.keel.core.security.AuditVerification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hash chain of the audit log: the canonical content of an entry, its SHA-256, and the walk that checks a chain.
 *
 * <p>An entry's hash covers {@code ["keel.audit.v1", seq, at_ms, actor_tenant, actor_id, action, target, details,
 * prev_hash]} serialised as compact JSON (UTF-8), with {@code details} as the stored canonical text (keys sorted).
 * Putting {@code seq} and {@code prev_hash} under the hash is what makes a moved or re-linked entry visible.
 */
final class AuditChain {
    static final String GENESIS = "0".repeat(64);
    private static final String VERSION = "keel.audit.v1";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private AuditChain() {
    }

    /** One stored row, as hashed. */
    record Row(long seq, long atMs, String actorTenant, String actorId, String action, String target, String details,
               String prevHash, String hash) {
        String computeHash() {
            return sha256(canonical(seq, atMs, actorTenant, actorId, action, target, details, prevHash));
        }
    }

    static String canonical(long seq, long atMs, String tenant, String actor, String action, String target,
                            String details, String prevHash) {
        List<Object> fields = List.of(VERSION, seq, atMs, tenant, actor, action, target, details, prevHash);
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Details as compact JSON with every object's keys sorted, so equal maps always hash alike. */
    static String canonicalDetails(Map<String, Object> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> parseDetails(String text) {
        try {
            return JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            // A row edited into something that is not JSON still reads; verify reports it.
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("unreadable", text);
            return out;
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Checks rows fed in {@code seq} order, then the head. Finds, in this order of precedence at each row: a gap in
     * the positions (an entry removed), a link to something other than the previous entry (an entry inserted before
     * it, removed, or moved), and content that does not match its hash (an entry edited or forged).
     */
    static final class Walk {
        private long expected = 1;
        private String last = GENESIS;
        private String beforeLast = null;
        private Long firstBad;
        private String problem;

        /** @return false once a bad entry was found (the walk can stop) */
        boolean accept(Row r) {
            if (firstBad != null) return false;
            if (r.seq() != expected) {
                return r.seq() > expected
                        ? fail(expected, "entry " + expected + " is missing: the chain goes from entry " + (expected - 1)
                        + " to entry " + r.seq() + " (deleted)")
                        : fail(r.seq(), "entry " + r.seq() + " is out of sequence: entry " + expected + " was expected here");
            }
            if (!r.prevHash().equals(last)) {
                if (beforeLast != null && r.prevHash().equals(beforeLast)) {
                    return fail(r.seq() - 1, "entry " + (r.seq() - 1) + " was inserted: entry " + r.seq()
                            + " links past it to the entry before");
                }
                return fail(r.seq(), "entry " + r.seq() + " does not follow entry " + (r.seq() - 1)
                        + ": it links to another entry (removed, replaced or reordered)");
            }
            if (!r.computeHash().equals(r.hash())) {
                return fail(r.seq(), "entry " + r.seq() + " was altered: its content does not match its hash");
            }
            beforeLast = last;
            last = r.hash();
            expected++;
            return true;
        }

        AuditVerification finish(long headSeq, String headHash) {
            long entries = expected - 1;
            if (firstBad == null) {
                if (headSeq > entries) {
                    fail(entries + 1, "entries " + (entries + 1) + " to " + headSeq + " are missing: the log ends at entry "
                            + entries + " but recorded " + headSeq + " (deleted)");
                } else if (headSeq < entries) {
                    fail(headSeq + 1, "entry " + (headSeq + 1) + " was added outside the log: only " + headSeq
                            + " entries were appended");
                } else if (!headHash.equals(last)) {
                    fail(entries, "entry " + entries + " is not the entry that was appended last: the recorded head hash differs");
                }
            }
            return new AuditVerification(entries, firstBad, problem, last);
        }

        private boolean fail(long at, String what) {
            firstBad = at;
            problem = what;
            return false;
        }
    }
}
