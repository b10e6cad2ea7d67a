package io.keel.guard.pii;

import java.util.List;

/** MAC addresses: six colon- or dash-separated octets, or Cisco's three dotted groups. Broadcast and zero are not. */
public final class MacAddressRecognizer extends PatternRecognizer {
    public MacAddressRecognizer() {
        super("mac-address", "MAC_ADDRESS", List.of(
                        Rule.of("mac colon", "\\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}\\b", 0.6),
                        Rule.of("mac dash", "\\b[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}\\b", 0.6),
                        Rule.of("mac cisco", "\\b[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\b", 0.6)),
                ContextWords.of("mac", "address", "hardware", "ethernet", "physical", "nic", "mac address"),
                new Runs("0-9A-Fa-f:.-", 0, 14));
    }

    @Override
    protected double rescore(String match, Rule rule) {
        String hex = match.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(java.util.Locale.ROOT);
        return hex.equals("FFFFFFFFFFFF") || hex.equals("000000000000") ? 0.0 : rule.score();
    }
}
