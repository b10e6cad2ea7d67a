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
            nTouched = add(counts, touched, nTouched, bucket(h, buckets));
            if (prevLen >= 0) {
                // hash of prev + " " + word, as String.hashCode would compute it, without building the string
                int bigram = prevHash * pow31(wordLen + 1) + ' ' * pow31(wordLen) + h;
                nTouched = add(counts, touched, nTouched, bucket(bigram, buckets));
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

    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) ASCII_WORD[c] = isWordChar(c);
    }

    /** {@code floorMod(h, buckets)}; a mask when {@code buckets} is a power of two (the same value, no division). */
    private static int bucket(int h, int buckets) {
        return (buckets & (buckets - 1)) == 0 ? h & (buckets - 1) : Math.floorMod(h, buckets);
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

    /**
     * Character 3- to 5-grams of the lower-cased text in which every run of characters other than letters and digits
     * is one space, with a space at each end (so word starts and ends are grams of their own), hashed into
     * {@code buckets} buckets by {@link String#hashCode()} of the gram, {@code log(1 + count)}, L2-normalized. They
     * see inflections, compounds and spellings the word n-grams and the English embedding model split apart
     * ("ignoriere", "instructions:", "DAN-mode").
     */
    public static float[] charFeatures(String text, int buckets) {
        float[] out = new float[buckets];
        if (buckets == 0) return out;
        // the padded text as chars: every run of non-word characters is one space, a space at each end
        String lower = text.toLowerCase(Locale.ROOT);
        char[] c = new char[lower.length() + 2];
        int n = 0;
        c[n++] = ' ';
        boolean space = true;
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            int len = Character.charCount(cp);
            if (cp < 128 ? ASCII_WORD[cp] : isWordChar(cp)) {
                for (int k = 0; k < len; k++) c[n++] = lower.charAt(i + k);
                space = false;
            } else if (!space) {
                c[n++] = ' ';
                space = true;
            }
            i += len;
        }
        if (!space) c[n++] = ' ';
        int[] counts = new int[buckets];
        int[] touched = new int[Math.min(buckets, 3 * n + 1)];
        int nTouched = 0;
        for (int i = 0; i + 3 <= n; i++) {
            int h = 31 * (31 * c[i] + c[i + 1]) + c[i + 2];
            nTouched = add(counts, touched, nTouched, bucket(h, buckets));
            if (i + 4 > n) continue;
            h = 31 * h + c[i + 3];
            nTouched = add(counts, touched, nTouched, bucket(h, buckets));
            if (i + 5 > n) continue;
            h = 31 * h + c[i + 4];
            nTouched = add(counts, touched, nTouched, bucket(h, buckets));
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

    /**
     * {@code embedding}, then the word n-grams of {@code text} in {@code buckets} buckets, then its character n-grams
     * in {@code charBuckets} buckets (none when 0: the layout of weights files before character n-grams).
     */
    public static float[] concat(float[] embedding, String text, int buckets, int charBuckets) {
        float[] f = new float[embedding.length + buckets + charBuckets];
        System.arraycopy(embedding, 0, f, 0, embedding.length);
        System.arraycopy(features(text, buckets), 0, f, embedding.length, buckets);
        if (charBuckets > 0) System.arraycopy(charFeatures(text, charBuckets), 0, f, embedding.length + buckets, charBuckets);
        return f;
    }

    /** {@code embedding} followed by the hashed n-grams of {@code text}. */
    public static float[] concat(float[] embedding, String text, int buckets) {
        float[] f = new float[embedding.length + buckets];
        System.arraycopy(embedding, 0, f, 0, embedding.length);
        System.arraycopy(features(text, buckets), 0, f, embedding.length, buckets);
        return f;
    }
}
