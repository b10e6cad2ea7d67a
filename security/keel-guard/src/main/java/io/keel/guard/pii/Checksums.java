package io.keel.guard.pii;

/** Check-digit algorithms used by the validators. All methods take digits only unless stated. */
public final class Checksums {
    private Checksums() {
    }

    /** Luhn (mod 10), as used by payment cards and Canadian SINs. */
    public static boolean luhn(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) return false;
            if (doubleIt) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return digits.length() > 1 && sum % 10 == 0;
    }

    /** ISO 7064 mod 97-10 over an IBAN (letters and digits, no separators): true when the remainder is 1. */
    public static boolean ibanMod97(String iban) {
        if (iban.length() < 5) return false;
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        int rem = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (c >= '0' && c <= '9') {
                rem = (rem * 10 + (c - '0')) % 97;
            } else if (c >= 'A' && c <= 'Z') {
                int v = c - 'A' + 10;
                rem = (rem * 100 + v) % 97;
            } else {
                return false;
            }
        }
        return rem == 1;
    }

    /** ABA routing number: weights 3, 7, 1 over nine digits, sum divisible by 10. */
    public static boolean abaRouting(String digits) {
        if (digits.length() != 9) return false;
        int[] w = {3, 7, 1};
        int sum = 0;
        for (int i = 0; i < 9; i++) sum += (digits.charAt(i) - '0') * w[i % 3];
        return sum % 10 == 0;
    }

    /** NHS number: mod 11 with weights 10..2 over the first nine digits; 10 is never valid. */
    public static boolean nhsMod11(String digits) {
        if (digits.length() != 10) return false;
        int sum = 0;
        for (int i = 0; i < 9; i++) sum += (digits.charAt(i) - '0') * (10 - i);
        int check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == digits.charAt(9) - '0';
    }

    /** The sum of each leading digit of {@code digits} times its weight: the core of most national check digits. */
    static int weightedSum(CharSequence digits, int... weights) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) sum += (digits.charAt(i) - '0') * weights[i];
        return sum;
    }

    /** Shannon entropy in bits per character. */
    public static double shannonEntropy(CharSequence s) {
        if (s.isEmpty()) return 0;
        java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < s.length(); i++) counts.merge(s.charAt(i), 1, Integer::sum);
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / s.length();
            h -= p * (Math.log(p) / Math.log(2));
        }
        return h;
    }

    static String digitsOnly(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') sb.append(c);
        }
        return sb.toString();
    }
}
