package io.keel.bench.streaming;

import java.util.Random;

/**
 * Synthetic Markdown documents with the shape of knowledge-base articles: a title, a few sections of sentences drawn
 * from a business vocabulary. Deterministic for a given {@link Random}.
 */
final class Corpus {
    private static final String[] WORDS = {
            "account", "invoice", "refund", "shipment", "warehouse", "customer", "policy", "audit", "payment", "carrier",
            "region", "quarter", "forecast", "contract", "renewal", "support", "ticket", "escalation", "discount",
            "subscription", "license", "onboarding", "migration", "outage", "latency", "capacity", "backup", "restore",
            "compliance", "retention", "encryption", "password", "rotation", "approval", "budget", "vendor", "catalog",
            "inventory", "order", "delivery", "return", "warranty", "exchange", "tax", "currency", "report", "dashboard",
            "alert", "threshold", "incident", "review", "deadline", "handover", "training", "schedule", "holiday"};
    private static final String[] GLUE = {"the", "a", "for", "with", "after", "before", "per", "and", "or", "of"};

    private Corpus() {
    }

    /** About {@code words} words of Markdown about {@code id}. */
    static String text(Random random, String id, int words) {
        StringBuilder sb = new StringBuilder("# ").append(cap(WORDS[random.nextInt(WORDS.length)])).append(' ')
                .append(WORDS[random.nextInt(WORDS.length)]).append(" (").append(id).append(")\n\n");
        int written = 0;
        int sentence = 0;
        while (written < words) {
            if (written > 0 && written % 70 < 12 && sentence > 3) {
                sb.append("\n\n## ").append(cap(WORDS[random.nextInt(WORDS.length)])).append("\n\n");
                sentence = 0;
            }
            written += sentence(random, sb);
            sentence++;
        }
        return sb.toString().strip() + "\n";
    }

    /** {@code previous} with its last paragraph rewritten: an edit of one part of an article. */
    static String edit(Random random, String previous) {
        String text = previous.strip();
        int cut = text.lastIndexOf("\n\n");
        StringBuilder sb = new StringBuilder(cut < 0 ? "" : text.substring(0, cut + 2));
        int written = 0;
        while (written < 25) written += sentence(random, sb);
        return sb.toString().strip() + "\n";
    }

    /** Appends one sentence of 8 to 17 words; returns how many. */
    private static int sentence(Random random, StringBuilder sb) {
        int length = 8 + random.nextInt(10);
        for (int i = 0; i < length; i++) {
            String w = (i % 3 == 1) ? GLUE[random.nextInt(GLUE.length)] : WORDS[random.nextInt(WORDS.length)];
            sb.append(i == 0 ? cap(w) : w).append(i == length - 1 ? ". " : " ");
        }
        return length;
    }

    private static String cap(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }
}
