package io.keel.guard.pii;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Identifier packs per country, run besides {@link StandardRecognizers} when a policy lists the country under
 * {@code pii.countries}. They are opt-in because many national formats are short digit or letter runs (postcodes,
 * licence plates, registry numbers) that ordinary text elsewhere is full of; a deployment that serves Germany turns on
 * {@code de} and gets German tax ids, passports and health-insurance numbers without paying for, or tripping over,
 * Korean or Thai formats.
 */
public final class CountryRecognizers {
    private static final Map<String, Supplier<List<PiiRecognizer>>> PACKS = packs();
    private static final Map<String, String> ALIASES = Map.of("uk", "gb");

    private CountryRecognizers() {
    }

    private static Map<String, Supplier<List<PiiRecognizer>>> packs() {
        Map<String, Supplier<List<PiiRecognizer>>> m = new LinkedHashMap<>();
        m.put("au", AsiaPacificIdRecognizers::australia);
        m.put("de", GermanIdRecognizers::all);
        m.put("es", EuropeIdRecognizers::spain);
        m.put("gb", EuropeIdRecognizers::unitedKingdom);
        m.put("in", AsiaPacificIdRecognizers::india);
        m.put("it", EuropeIdRecognizers::italy);
        m.put("kr", AsiaPacificIdRecognizers::korea);
        m.put("ng", AfricaIdRecognizers::nigeria);
        m.put("ph", AsiaPacificIdRecognizers::philippines);
        m.put("se", EuropeIdRecognizers::sweden);
        m.put("sg", AsiaPacificIdRecognizers::singapore);
        m.put("th", AsiaPacificIdRecognizers::thailand);
        m.put("tr", EuropeIdRecognizers::turkey);
        m.put("us", UsIdRecognizers::all);
        m.put("za", AfricaIdRecognizers::southAfrica);
        return m;
    }

    /** The country codes that have a pack, in alphabetical order ({@code uk} is accepted for {@code gb}). */
    public static List<String> countries() {
        return List.copyOf(PACKS.keySet());
    }

    /**
     * The standard recognizers plus the packs of {@code countries}.
     *
     * @throws IllegalArgumentException for a code without a pack, naming the codes there are
     */
    public static List<PiiRecognizer> standardPlus(List<String> countries) {
        List<PiiRecognizer> out = new ArrayList<>(StandardRecognizers.all());
        countries.stream().map(c -> checkCode(c, "countries")).distinct().forEach(c -> out.addAll(PACKS.get(c).get()));
        return List.copyOf(out);
    }

    /** Every recognizer Keel has: the standard set and every country pack (what {@code keel guard eval} measures). */
    public static List<PiiRecognizer> available() {
        return standardPlus(countries());
    }

    /** The canonical code for {@code code}, or an error that says which codes exist. */
    public static String checkCode(String code, String where) {
        String c = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
        c = ALIASES.getOrDefault(c, c);
        if (!PACKS.containsKey(c)) {
            throw new IllegalArgumentException(where + ": no identifier pack for country '" + code + "'; packs exist for "
                    + String.join(", ", PACKS.keySet()) + " (uk = gb)");
        }
        return c;
    }
}
