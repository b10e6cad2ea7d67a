package io.keel.routing.intent;

/** Dot products over plain arrays, unrolled so the JIT keeps four independent sums in flight. */
final class Vectors {
    private Vectors() {
    }

    /** {@code a · b[offset .. offset + a.length)}. */
    static float dot(float[] a, float[] b, int offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[offset + i];
            s1 += a[i + 1] * b[offset + i + 1];
            s2 += a[i + 2] * b[offset + i + 2];
            s3 += a[i + 3] * b[offset + i + 3];
        }
        for (; i < n; i++) s0 += a[i] * b[offset + i];
        return (s0 + s1) + (s2 + s3);
    }
}
