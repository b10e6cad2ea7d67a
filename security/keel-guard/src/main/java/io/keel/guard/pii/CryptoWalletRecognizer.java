package io.keel.guard.pii;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Bitcoin addresses (Presidio's CRYPTO), reported only when their checksum holds, so a valid address scores 1.0 and
 * anything else is dropped: legacy P2PKH ({@code 1...}) and P2SH ({@code 3...}) addresses are base58check (a version
 * byte, a 20-byte hash and the first four bytes of a double SHA-256), native SegWit ({@code bc1q...}) is bech32 and
 * Taproot ({@code bc1p...}) bech32m (BIP 173 / BIP 350), including the witness version and program length rules.
 * An address must stand alone: one glued to more letters or digits is not taken apart.
 */
public final class CryptoWalletRecognizer extends PatternRecognizer {
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int BECH32_CONST = 1;
    private static final int BECH32M_CONST = 0x2BC830A3;
    private static final int[] GENERATOR = {0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3};

    public CryptoWalletRecognizer() {
        super("crypto-wallet", "CRYPTO", List.of(
                Rule.of("bitcoin base58check", "(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])", 0.5),
                Rule.of("bitcoin bech32", "(?<![A-Za-z0-9])(?:bc1[02-9ac-hj-np-z]{8,87}|BC1[02-9AC-HJ-NP-Z]{8,87})(?![A-Za-z0-9])", 0.5)),
                ContextWords.of("wallet", "btc", "bitcoin", "crypto", "address"),
                new Runs("0-9A-Za-z", 1, 26));
    }

    @Override
    protected double rescore(String match, Rule rule) {
        boolean valid = match.charAt(0) == '1' || match.charAt(0) == '3' ? isBase58CheckAddress(match) : isSegwitAddress(match);
        return valid ? 1.0 : 0.0;
    }

    /** A P2PKH or P2SH address: 25 bytes (version 0x00 or 0x05, hash160, checksum) whose checksum holds. */
    static boolean isBase58CheckAddress(String address) {
        byte[] bytes = decodeBase58(address);
        if (bytes == null || bytes.length != 25) return false;
        int version = bytes[0] & 0xFF;
        if (version != (address.charAt(0) == '1' ? 0x00 : 0x05)) return false;
        byte[] hash = sha256(sha256(Arrays.copyOf(bytes, 21)));
        return Arrays.equals(Arrays.copyOfRange(bytes, 21, 25), Arrays.copyOf(hash, 4));
    }

    /** A mainnet SegWit address: bech32 for witness version 0 (20- or 32-byte program), bech32m for versions 1–16. */
    static boolean isSegwitAddress(String address) {
        if (address.length() > 90 || (!address.equals(address.toLowerCase(java.util.Locale.ROOT)) && !address.equals(address.toUpperCase(java.util.Locale.ROOT)))) return false;
        String s = address.toLowerCase(java.util.Locale.ROOT);
        if (!s.startsWith("bc1")) return false;
        int n = s.length() - 3;
        if (n < 7) return false;   // witness version + checksum at least
        int[] data = new int[n];
        for (int i = 0; i < n; i++) {
            data[i] = BECH32_CHARSET.indexOf(s.charAt(3 + i));
            if (data[i] < 0) return false;
        }
        int check = polymod("bc", data);
        int version = data[0];
        if (version > 16) return false;
        if (check != (version == 0 ? BECH32_CONST : BECH32M_CONST)) return false;
        byte[] program = fiveToEight(Arrays.copyOfRange(data, 1, n - 6));
        if (program == null || program.length < 2 || program.length > 40) return false;
        return version != 0 || program.length == 20 || program.length == 32;
    }

    private static int polymod(String hrp, int[] data) {
        int chk = 1;
        for (int i = 0; i < hrp.length(); i++) chk = step(chk, hrp.charAt(i) >> 5);
        chk = step(chk, 0);
        for (int i = 0; i < hrp.length(); i++) chk = step(chk, hrp.charAt(i) & 31);
        for (int v : data) chk = step(chk, v);
        return chk;
    }

    private static int step(int chk, int value) {
        int top = chk >>> 25;
        chk = ((chk & 0x1FFFFFF) << 5) ^ value;
        for (int i = 0; i < 5; i++) if (((top >> i) & 1) != 0) chk ^= GENERATOR[i];
        return chk;
    }

    /** Regroups 5-bit values into bytes; null when the padding is longer than four bits or not zero. */
    private static byte[] fiveToEight(int[] values) {
        int acc = 0;
        int bits = 0;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int v : values) {
            acc = (acc << 5) | v;
            bits += 5;
            while (bits >= 8) {
                bits -= 8;
                out.write((acc >> bits) & 0xFF);
            }
        }
        if (bits >= 5 || ((acc << (8 - bits)) & 0xFF) != 0) return null;
        return out.toByteArray();
    }

    /** Base58 (Bitcoin alphabet) to bytes, each leading '1' a zero byte; null for a character outside the alphabet. */
    private static byte[] decodeBase58(String s) {
        BigInteger n = BigInteger.ZERO;
        BigInteger base = BigInteger.valueOf(58);
        int zeros = 0;
        while (zeros < s.length() && s.charAt(zeros) == '1') zeros++;
        for (int i = 0; i < s.length(); i++) {
            int d = BASE58.indexOf(s.charAt(i));
            if (d < 0) return null;
            n = n.multiply(base).add(BigInteger.valueOf(d));
        }
        byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
        if (mag.length > 1 && mag[0] == 0) mag = Arrays.copyOfRange(mag, 1, mag.length);   // sign byte
        byte[] out = new byte[zeros + mag.length];
        System.arraycopy(mag, 0, out, zeros, mag.length);
        return out;
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
