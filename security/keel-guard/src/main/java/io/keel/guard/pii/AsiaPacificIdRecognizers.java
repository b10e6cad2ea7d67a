package io.keel.guard.pii;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Year;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Identifiers of Korea, India, Thailand, the Philippines, Singapore and Australia. */
public final class AsiaPacificIdRecognizers {
    private static final Set<String> KR_LICENSE_REGIONS = Set.of("11", "12", "13", "14", "15", "16", "17", "18", "19",
            "20", "21", "22", "23", "24", "25", "26", "28");
    private static final String GSTIN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String UEN_A_LETTERS = "XMKECAWLJDB";
    private static final String UEN_B_LETTERS = "ZKCMDNERGWH";
    private static final String UEN_C_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWX0123456789";
    private static final Set<String> UEN_C_ENTITY_TYPES = Set.of("LP", "LL", "FC", "PF", "RF", "MQ", "MM", "NB", "CC",
            "CS", "MB", "FM", "GS", "DP", "CP", "NR", "CM", "CD", "MD", "HS", "VH", "CH", "MH", "CL", "XL", "CX", "HC", "RP",
            "TU", "TC", "FB", "FN", "PA", "PB", "SS", "MC", "SM", "GA", "GB");
    /** RTO district codes per Indian state or territory prefix; a plate whose code is listed scores higher. */
    private static final Map<String, String> IN_RTO_DISTRICTS = inRtoDistricts();
    private static final Set<String> IN_PLATE_PREFIXES = Set.of("AN", "CH", "DH", "DL", "JK", "LA", "LD", "PY", "CT", "DN",
            "AP", "AR", "AS", "BR", "CG", "GA", "GJ", "HR", "HP", "JH", "KA", "KL", "MP", "MH", "MN", "ML", "MZ", "NL", "OD",
            "PB", "RJ", "SK", "TN", "TS", "TR", "UP", "UK", "WB", "UT", "UL", "OR", "UA", "DD");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private AsiaPacificIdRecognizers() {
    }

    public static List<PiiRecognizer> australia() {
        return List.of(auMedicare());
    }

    public static List<PiiRecognizer> india() {
        return List.of(inGstin(), inVehicleRegistration(), inPassport(), inVoter());
    }

    public static List<PiiRecognizer> korea() {
        return List.of(krRrn(), krFrn(), krBrn(), krDriverLicense(), krPassport());
    }

    public static List<PiiRecognizer> philippines() {
        return List.of(phMobileNumber(), phTin());
    }

    public static List<PiiRecognizer> singapore() {
        return List.of(sgUen());
    }

    public static List<PiiRecognizer> thailand() {
        return List.of(thTnin());
    }

    // ---------------------------------------------------------------- Australia

    /**
     * Australian Medicare card number: ten digits starting 2–6 (4-5-1 grouped or bare), weights 1,3,7,9 over the first
     * eight digits, sum mod 10 is the ninth. A valid grouped number scores 1.0; a valid bare run only 0.4, since one
     * ten-digit run in ten passes.
     */
    public static PatternRecognizer auMedicare() {
        return new PatternRecognizer("au-medicare", "AU_MEDICARE", List.of(
                PatternRecognizer.Rule.of("medicare grouped", "\\b[2-6]\\d{3} \\d{5} \\d\\b", 1.0),
                PatternRecognizer.Rule.of("medicare bare", "\\b[2-6]\\d{9}\\b", 0.4)),
                ContextWords.of("medicare"),
                PatternRecognizer.Runs.of("0-9 ", 10)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                int sum = Checksums.weightedSum(d, 1, 3, 7, 9, 1, 3, 7, 9);
                return sum % 10 == d.charAt(8) - '0' ? rule.score() : 0.0;
            }
        };
    }

    // ---------------------------------------------------------------- India

    /**
     * Indian GSTIN: state code 01–37, the holder's PAN (five letters, four digits, a letter), an entity number, 'Z' and a
     * mod-36 check character. The layout alone scores 0.5; a correct check character proves it (1.0).
     */
    public static PatternRecognizer inGstin() {
        return new PatternRecognizer("in-gstin", "IN_GSTIN", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("gstin", "\\b(?:0[1-9]|[12][0-9]|3[0-7])[A-Z]{5}[0-9]{4}[A-Z][0-9A-Z]Z[0-9A-Z]\\b", 0.5)),
                ContextWords.of("gstin", "gst", "goods and services tax", "tax identification", "gst number", "gst registration"),
                new PatternRecognizer.Runs("0-9A-Za-z", 6, 15)) {
            @Override
            protected double rescore(String match, Rule rule) {
                return gstinCheck(match.toUpperCase(Locale.ROOT)) ? 1.0 : rule.score();
            }
        };
    }

    static boolean gstinCheck(String g) {
        int sum = 0;
        for (int i = 0; i < 14; i++) {
            int p = GSTIN_ALPHABET.indexOf(g.charAt(i)) * (i % 2 == 0 ? 1 : 2);
            sum += p / 36 + p % 36;
        }
        return GSTIN_ALPHABET.charAt((36 - sum % 36) % 36) == g.charAt(14);
    }

    /**
     * Indian vehicle registration plates (RTO): state + district + series + number ({@code KA53ME3456}), Bharat series
     * ({@code 22BH1234AB}), armed forces, diplomatic and the old short forms. Plates are weak evidence: 0.01–0.3, the
     * state format scoring 0.3 only when its district code exists for that state.
     */
    public static PatternRecognizer inVehicleRegistration() {
        return new PatternRecognizer("in-vehicle-registration", "IN_VEHICLE_REGISTRATION", List.of(
                PatternRecognizer.Rule.of("old letter + four digits", "\\b[A-Z](?!0000)[0-9]{4}\\b", 0.01),
                PatternRecognizer.Rule.of("old two letters + four digits", "\\b[A-Z]{2}(?!0000)[0-9]{4}\\b", 0.01),
                PatternRecognizer.Rule.of("old I + five digits", "\\bI(?!00000)[0-9]{5}\\b", 0.01),
                PatternRecognizer.Rule.of("old three letters + four digits", "\\b[A-Z]{3}(?!0000)[0-9]{4}\\b", 0.1),
                PatternRecognizer.Rule.of("diplomatic", "\\b[0-9]{1,3}(?:CD|CC|UN)[1-9][0-9]{1,3}\\b", 0.2),
                PatternRecognizer.Rule.of("state one-digit district", "\\b[A-Z]{2}[0-9][A-Z]{1,3}(?!0000)[0-9]{4}\\b", 0.15),
                PatternRecognizer.Rule.of("state two-digit district", "\\b[A-Z]{2}[0-9]{2}[A-Z]{1,2}(?!0000)[0-9]{4}\\b", 0.15),
                PatternRecognizer.Rule.of("bharat series", "\\b[2-9][1-9]BH(?!0000)[0-9]{4}[A-HJ-NP-Z]{2}\\b", 0.3),
                PatternRecognizer.Rule.of("armed forces", "\\b(?!00)[0-9]{2}[ABCDEFHKPRX][0-9]{6}[A-Z]\\b", 0.3)),
                ContextWords.of("rto", "vehicle", "plate", "registration"),
                new PatternRecognizer.Runs("0-9A-Z", 3, 5)) {
            @Override
            protected double rescore(String match, Rule rule) {
                if (!rule.name().startsWith("state")) return rule.score();
                String state = match.substring(0, 2);
                if (!IN_PLATE_PREFIXES.contains(state)) return rule.score();
                String district = Character.isDigit(match.charAt(3)) ? match.substring(2, 4) : match.substring(2, 3);
                String known = IN_RTO_DISTRICTS.get(state);
                return known != null && (" " + known + " ").contains(" " + district + " ") ? 0.3 : rule.score();
            }
        };
    }

    /** Indian passport: a letter, a non-zero digit, six digits (optionally a space after the third), last digit non-zero. */
    public static PatternRecognizer inPassport() {
        return new PatternRecognizer("in-passport", "IN_PASSPORT", List.of(
                PatternRecognizer.Rule.of("passport (weak)", "\\b[A-Z][1-9][0-9] ?[0-9]{4}[1-9]\\b", 0.1)),
                ContextWords.of("passport", "indian passport", "passport number"),
                new PatternRecognizer.Runs("0-9A-Z ", 7, 8));
    }

    /** Indian voter id (EPIC): three letters and seven digits; 0.4 when the second letter is one EPIC uses, else 0.3. */
    public static PatternRecognizer inVoter() {
        return new PatternRecognizer("in-voter", "IN_VOTER", List.of(
                PatternRecognizer.Rule.ofIgnoreCase("epic", "\\b[A-Z][ABCDGHJKMNPRSY][A-Z][0-9]{7}\\b", 0.4),
                PatternRecognizer.Rule.ofIgnoreCase("epic (weak)", "\\b[A-Z]{3}[0-9]{7}\\b", 0.3)),
                ContextWords.of("voter", "epic", "elector photo identity card"),
                new PatternRecognizer.Runs("0-9A-Za-z", 7, 10));
    }

    // ---------------------------------------------------------------- Korea

    /**
     * Korean resident registration number: YYMMDD, optional hyphen, a sex/century digit 1–4 and six digits. The birth
     * date must exist; the weighted mod-11 check digit (numbers issued before October 2020, region code 00–95) proves
     * it (1.0), otherwise it keeps 0.5 hyphenated or 0.3 bare, since newer numbers carry no check digit.
     */
    public static PatternRecognizer krRrn() {
        return krResidentNumber("kr-rrn", "KR_RRN", "1-4", 11,
                ContextWords.of("korean rrn", "resident registration number", "rrn", "rrn#", "주민등록번호", "주민번호"));
    }

    /**
     * Korean foreigner registration number: as the RRN but with the sex/century digit 5–8 and the check digit
     * {@code (13 - sum mod 11) mod 10}.
     */
    public static PatternRecognizer krFrn() {
        return krResidentNumber("kr-frn", "KR_FRN", "5-8", 13,
                ContextWords.of("외국인등록번호", "korean frn", "frn", "foreigner registration number", "외국인번호"));
    }

    private static PatternRecognizer krResidentNumber(String name, String type, String sexDigits, int checkBase, ContextWords ctx) {
        String date = "(?<![0-9])[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])";
        return new PatternRecognizer(name, type, List.of(
                PatternRecognizer.Rule.of(name + " hyphenated", date + "-[" + sexDigits + "][0-9]{6}(?![0-9])", 0.5),
                PatternRecognizer.Rule.of(name + " bare", date + "[" + sexDigits + "][0-9]{6}(?![0-9])", 0.3)),
                ctx,
                PatternRecognizer.Runs.of("0-9-", 13)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                int sex = d.charAt(6) - '0';
                int century = sex == 1 || sex == 2 || sex == 5 || sex == 6 ? 1900 : 2000;
                if (!isDate(century + Integer.parseInt(d.substring(0, 2)), Integer.parseInt(d.substring(2, 4)),
                        Integer.parseInt(d.substring(4, 6)))) {
                    return 0.0;
                }
                int sum = Checksums.weightedSum(d, 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5);
                boolean checked = (checkBase - sum % 11) % 10 == d.charAt(12) - '0' && Integer.parseInt(d.substring(7, 9)) <= 95;
                return checked ? 1.0 : rule.score();
            }
        };
    }

    /**
     * Korean business registration number: ten digits (3-2-5 hyphenated or bare), check digit over weights
     * 1,3,7,1,3,7,1,3,5 with the tens of the last product added. A valid hyphenated number scores 1.0, a valid bare run
     * 0.3 (one ten-digit run in ten passes); a wrong check digit drops it.
     */
    public static PatternRecognizer krBrn() {
        return new PatternRecognizer("kr-brn", "KR_BRN", List.of(
                PatternRecognizer.Rule.of("brn hyphenated", "(?<![0-9])[0-9]{3}-[0-9]{2}-[0-9]{5}(?![0-9])", 1.0),
                PatternRecognizer.Rule.of("brn bare", "(?<![0-9])[0-9]{10}(?![0-9])", 0.3)),
                ContextWords.of("사업자등록번호", "사업자번호", "사업자", "brn", "business registration number", "korean brn",
                        "business number", "tax registration number"),
                PatternRecognizer.Runs.of("0-9-", 10)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                int sum = Checksums.weightedSum(d, 1, 3, 7, 1, 3, 7, 1, 3);
                int last = (d.charAt(8) - '0') * 5;
                sum += last / 10 + last;
                return (10 - sum % 10) % 10 == d.charAt(9) - '0' ? rule.score() : 0.0;
            }
        };
    }

    /**
     * Korean driver's licence: twelve digits AA-BB-CCCCCC-DD (hyphens or spaces optional) whose region code AA is one of
     * the licensing regions (11–26, 28). The check digits are not public: 0.3 separated, 0.05 bare.
     */
    public static PatternRecognizer krDriverLicense() {
        return new PatternRecognizer("kr-driver-license", "KR_DRIVER_LICENSE", List.of(
                PatternRecognizer.Rule.of("driver license",
                        "(?<![0-9])[0-9]{2}[- ]?[0-9]{2}[- ]?[0-9]{6}[- ]?[0-9]{2}(?![0-9])", 0.3)),
                ContextWords.of("운전면허", "운전면허번호", "면허번호", "korean driver license", "korean driver's license",
                        "driver license", "driver's license"),
                PatternRecognizer.Runs.of("0-9 -", 12)) {
            @Override
            protected double rescore(String match, Rule rule) {
                if (!KR_LICENSE_REGIONS.contains(match.substring(0, 2))) return 0.0;
                return match.length() == 12 ? 0.05 : rule.score();
            }
        };
    }

    /**
     * Korean passport: type letter M, S, R, O or D, then three digits, a letter and four digits (current, 0.4) or
     * eight digits (previous, 0.1). No check digit outside the machine-readable zone.
     */
    public static PatternRecognizer krPassport() {
        return new PatternRecognizer("kr-passport", "KR_PASSPORT", List.of(
                PatternRecognizer.Rule.of("passport current", "(?<![A-Za-z0-9])[MmSsRrOoDd][0-9]{3}[A-Za-z][0-9]{4}(?![0-9])", 0.4),
                PatternRecognizer.Rule.of("passport previous", "(?<![A-Za-z0-9])[MmSsRrOoDd][0-9]{8}(?![0-9])", 0.1)),
                ContextWords.of("korean passport", "korean passport number", "대한민국 여권", "여권", "passport", "passport number"),
                new PatternRecognizer.Runs("0-9A-Za-z", 7, 9));
    }

    // ---------------------------------------------------------------- Philippines

    /**
     * Philippine mobile number: {@code +63} or trunk {@code 0}, a 9xx network prefix (optionally in parentheses) and
     * seven digits, grouped 3-3-4 or not; libphonenumber must confirm it is a valid PH mobile number. Score 0.4, as for
     * other phone numbers; "mobile", "phone" and the like lift it.
     */
    public static PatternRecognizer phMobileNumber() {
        return new PatternRecognizer("ph-mobile-number", "PH_MOBILE_NUMBER", List.of(
                PatternRecognizer.Rule.of("ph mobile",
                        "(?<![0-9+])(?:\\+63[ -]?|0[ -]?)(?:9[0-9]{2}|\\(9[0-9]{2}\\))[ -]?[0-9]{3}[ -]?[0-9]{4}(?![0-9])", 0.4)),
                ContextWords.of("mobile", "phone", "cell", "cellphone", "cp", "tel", "telephone", "telepono", "numero", "call",
                        "text", "sms", "contact", "viber", "whatsapp"),
                PatternRecognizer.Runs.of("0-9 ()+-", 10)) {
            @Override
            protected double rescore(String match, Rule rule) {
                try {
                    Phonenumber.PhoneNumber n = PHONES.parse(match, "PH");
                    boolean mobile = n.getCountryCode() == 63 && PHONES.isValidNumberForRegion(n, "PH")
                            && PHONES.getNumberType(n) == PhoneNumberUtil.PhoneNumberType.MOBILE;
                    return mobile ? rule.score() : 0.0;
                } catch (NumberParseException e) {
                    return 0.0;
                }
            }
        };
    }

    /**
     * Philippine taxpayer identification number (BIR): nine digits, optionally a three-digit branch code, hyphenated
     * 3-3-3(-3) or bare; the ninth digit is the weighted (9..2) sum of the first eight mod 11. A valid hyphenated TIN
     * scores 1.0, a valid bare run 0.3; a wrong check digit drops it.
     */
    public static PatternRecognizer phTin() {
        return new PatternRecognizer("ph-tin", "PH_TIN", List.of(
                PatternRecognizer.Rule.of("tin hyphenated", "\\b[0-9]{3}-[0-9]{3}-[0-9]{3}(?:-[0-9]{3})?\\b", 1.0),
                PatternRecognizer.Rule.of("tin bare", "\\b(?:[0-9]{9}|[0-9]{12})\\b", 0.3)),
                ContextWords.of("tin", "taxpayer identification number", "bir", "taxpayer id", "tax id", "rdo",
                        "revenue district office"),
                PatternRecognizer.Runs.of("0-9-", 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                String d = Checksums.digitsOnly(match);
                int sum = Checksums.weightedSum(d, 9, 8, 7, 6, 5, 4, 3, 2);
                return sum % 11 == d.charAt(8) - '0' ? rule.score() : 0.0;
            }
        };
    }

    // ---------------------------------------------------------------- Singapore

    /**
     * Singapore unique entity number, each format with its check letter: A (businesses, eight digits + letter), B (local
     * companies, registration year not in the future + five digits + letter) and C (others: R/S/T, year, entity type,
     * four digits + check character). A correct check proves it (1.0); anything else is dropped.
     */
    public static PatternRecognizer sgUen() {
        return new PatternRecognizer("sg-uen", "SG_UEN", List.of(
                PatternRecognizer.Rule.of("uen format a", "\\b[0-9]{8}[A-Z]\\b", 1.0),
                PatternRecognizer.Rule.of("uen format b", "\\b[0-9]{9}[A-Z]\\b", 1.0),
                PatternRecognizer.Rule.of("uen format c", "\\b[RST][0-9]{2}[A-Z]{2}[0-9]{4}[A-Z]\\b", 1.0)),
                ContextWords.of("uen", "unique entity number", "business registration", "acra"),
                new PatternRecognizer.Runs("0-9A-Z", 6, 9)) {
            @Override
            protected double rescore(String match, Rule rule) {
                char check = match.charAt(match.length() - 1);
                if (Character.isLetter(match.charAt(0))) {
                    if (!UEN_C_ENTITY_TYPES.contains(match.substring(3, 5))) return 0.0;
                    int[] w = {4, 3, 5, 3, 10, 2, 2, 5, 7};
                    int sum = 0;
                    for (int i = 0; i < 9; i++) sum += UEN_C_ALPHABET.indexOf(match.charAt(i)) * w[i];
                    return UEN_C_ALPHABET.charAt(Math.floorMod(sum - 5, 11)) == check ? 1.0 : 0.0;
                }
                if (match.length() == 9) {
                    int sum = Checksums.weightedSum(match, 10, 4, 9, 3, 8, 2, 7, 1);
                    return UEN_A_LETTERS.charAt(sum % 11) == check ? 1.0 : 0.0;
                }
                if (Integer.parseInt(match.substring(0, 4)) > Year.now().getValue()) return 0.0;
                int sum = Checksums.weightedSum(match, 10, 8, 6, 4, 9, 7, 5, 3, 1);
                return UEN_B_LETTERS.charAt(sum % 11) == check ? 1.0 : 0.0;
            }
        };
    }

    // ---------------------------------------------------------------- Thailand

    /**
     * Thai national identification number: thirteen digits, first digit 1–9, digits two and three a province code in
     * use (not 0x, 28, 29, 59, 68, 69, 78, 79, 87–89, 97–99), and the check digit
     * {@code (11 - (13·N1 + … + 2·N12) mod 11) mod 10}. Valid numbers score 1.0; a wrong check digit drops the match.
     */
    public static PatternRecognizer thTnin() {
        return new PatternRecognizer("th-tnin", "TH_TNIN", List.of(
                PatternRecognizer.Rule.of("tnin",
                        "\\b[1-9](?!0|28|29|59|68|69|78|79|87|88|89|97|98|99)[0-9]{12}\\b", 1.0)),
                ContextWords.of("thai national id", "thai id number", "thai id", "tnin", "เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "รหัสปชช"),
                PatternRecognizer.Runs.of("0-9", 13)) {
            @Override
            protected double rescore(String match, Rule rule) {
                int sum = Checksums.weightedSum(match, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2);
                return (11 - sum % 11) % 10 == match.charAt(12) - '0' ? 1.0 : 0.0;
            }
        };
    }

    static boolean isDate(int year, int month, int day) {
        try {
            LocalDate.of(year, month, day);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static Map<String, String> inRtoDistricts() {
        String upTo99 = range(1, 99, 21);
        return Map.ofEntries(
                Map.entry("AN", "01"), Map.entry("AP", "39 40"),
                Map.entry("AR", range(1, 17, 18) + " 19 20 22"),
                Map.entry("AS", range(1, 34, 21)),
                Map.entry("BR", "01 02 03 04 05 06 07 08 09 10 11 19 21 22 24 25 26 27 28 29 30 31 32 33 34 37 38 39 43 44 45 46 50 51 52 53 55 56"),
                Map.entry("CG", range(1, 30, 0)), Map.entry("CH", range(1, 4, 0)), Map.entry("DD", range(1, 3, 0)),
                Map.entry("DN", "09"), Map.entry("DL", "1 2 3 4 5 6 7 8 9 10 11 12 13"),
                Map.entry("GA", range(1, 12, 0)), Map.entry("GJ", "1 2 3 4 5 6 7 8 9 " + range(10, 39, 0)),
                Map.entry("HP", upTo99), Map.entry("HR", upTo99), Map.entry("JH", range(1, 24, 21)),
                Map.entry("JK", range(1, 22, 21)), Map.entry("KA", range(1, 71, 21)), Map.entry("KL", upTo99),
                Map.entry("LA", "01 02"), Map.entry("LD", range(1, 9, 0)), Map.entry("MH", range(1, 51, 21)),
                Map.entry("ML", range(1, 10, 0)), Map.entry("MN", range(1, 7, 0)), Map.entry("MP", range(1, 71, 21)),
                Map.entry("MZ", range(1, 8, 0)), Map.entry("NL", range(1, 10, 0)), Map.entry("OD", range(1, 35, 21)),
                Map.entry("OR", range(1, 31, 21)), Map.entry("PB", upTo99), Map.entry("PY", range(1, 5, 0)),
                Map.entry("RJ", range(1, 58, 21)), Map.entry("SK", range(1, 8, 0)), Map.entry("TN", upTo99),
                Map.entry("TR", range(1, 8, 0)), Map.entry("TS", range(1, 38, 21)), Map.entry("UK", range(1, 20, 0)),
                Map.entry("UP", range(11, 96, 21)), Map.entry("WB", range(1, 98, 21)));
    }

    /** Two-digit codes {@code from..to}, space-separated, without {@code skip} (0 = skip none). */
    private static String range(int from, int to, int skip) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            if (i == skip) continue;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(String.format(Locale.ROOT, "%02d", i));
        }
        return sb.toString();
    }
}
