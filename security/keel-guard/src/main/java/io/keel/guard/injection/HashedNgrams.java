package io.keel.guard.injection;

import java.util.Locale;

/**
 * Lexical features to sit beside the sentence embedding: lower-cased word unigrams and bigrams hashed into a fixed
 * number of buckets, {@code log(1 + count)}, L2-normalized. They let the classifier see words the English embedding
 * model renders poorly (the German half of the training data, jailbreak jargon).
 *
 * <p>Buckets come from {@link String#hashCode()}, whose value the Java language specification fixes, so weights
 * trained on one JVM score identically on any other.
 */
public final class HashedNgrams {
    private HashedNgrams() {
    }

    public static float[] features(String text, int buckets) {
        float[] out = new float[buckets];
        int[] counts = new int[buckets];
        int[] touched = new int[Math.min(buckets, 2 * text.length() + 2)];
        int nTouched = 0;
        String lower = text.toLowerCase(Locale.ROOT);
        int prevHash = 0;
        int prevLen = -1;   // no previous word yet
        int i = 0;
        int n = lower.length();
        while (i < n) {
            int cp = lower.codePointAt(i);
            if (!isWordChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            int h = 0;
            while (i < n) {
                int c = lower.codePointAt(i);
                if (!isWordChar(c)) break;
                int len = Character.charCount(c);
                for (int k = 0; k < len; k++) h = 31 * h + lower.charAt(i + k);
                i += len;
            }
            int wordLen = i - start;
            nTouched = add(counts, touched, nTouched, Math.floorMod(h, buckets));
            if (prevLen >= 0) {
                // hash of prev + " " + word, as String.hashCode would compute it, without building the string
                int bigram = prevHash * pow31(wordLen + 1) + ' ' * pow31(wordLen) + h;
                nTouched = add(counts, touched, nTouched, Math.floorMod(bigram, buckets));
            }
            prevHash = h;
            prevLen = wordLen;
        }
        double norm = 0;
        for (int k = 0; k < nTouched; k++) {
            double v = Math.log1p(counts[touched[k]]);
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int k = 0; k < nTouched; k++) out[touched[k]] = (float) (Math.log1p(counts[touched[k]]) / norm);
        }
        return out;
    }

    private static int add(int[] counts, int[] touched, int nTouched, int bucket) {
        if (counts[bucket]++ == 0) touched[nTouched++] = bucket;
        return nTouched;
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetter(cp) || Character.isDigit(cp) || Character.getType(cp) == Character.LETTER_NUMBER
                || Character.getType(cp) == Character.OTHER_NUMBER;
    }

    private static int pow31(int e) {
        int r = 1;
        for (int k = 0; k < e; k++) r *= 31;
        return r;
    }

    /** {@code embedding} followed by the hashed n-grams of {@code text}. */
    public static float[] concat(float[] embedding, String text, int buckets) {
        float[] f = new float[embedding.length + buckets];
        System.arraycopy(embedding, 0, f, 0, embedding.length);
        System.arraycopy(features(text, buckets), 0, f, embedding.length, buckets);
        return f;
    }
}
