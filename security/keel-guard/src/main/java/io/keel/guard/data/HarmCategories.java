package io.keel.guard.data;

import java.util.List;
import java.util.Locale;

/**
 * Maps the labels of the public harm data sets onto Keel's content-safety categories. Do-Not-Answer's harm types and
 * specific harms are mapped one to one where they name the harm (threats and graphic violence to
 * {@code violence_weapons}, financial crimes and spam to {@code fraud}, ...); XSTest's unsafe contrast prompts by
 * their type (discrimination, privacy) and otherwise by their words (drug names to {@code dangerous_substances},
 * else {@code violence_weapons}: XSTest's contrasts are about killing, weapons and attacks).
 */
public final class HarmCategories {
    public static final String VIOLENCE = "violence_weapons";
    public static final String SELF_HARM = "self_harm";
    public static final String SEXUAL = "sexual";
    public static final String CYBER = "malware_cyber";
    public static final String HATE = "hate_harassment";
    public static final String FRAUD = "fraud";
    public static final String SUBSTANCES = "dangerous_substances";
    public static final String ILLEGAL = "illegal_other";
    public static final String PRIVACY = "privacy";
    public static final String MISINFORMATION = "misinformation";
    public static final String UNSAFE_ADVICE = "unsafe_advice";
    public static final String MENTAL_HEALTH = "mental_health";
    public static final String OVERRELIANCE = "overreliance";

    /** Every category, in a fixed order (the order of the category weights in the weights file). */
    public static final List<String> ALL = List.of(VIOLENCE, SELF_HARM, SEXUAL, CYBER, HATE, FRAUD, SUBSTANCES, ILLEGAL,
            PRIVACY, MISINFORMATION, UNSAFE_ADVICE, MENTAL_HEALTH, OVERRELIANCE);

    private HarmCategories() {
    }

    static String ofDoNotAnswer(String harmType, String specificHarm) {
        String h = harmType.toLowerCase(Locale.ROOT);
        String s = specificHarm.toLowerCase(Locale.ROOT);
        if (h.startsWith("adult content")) return s.startsWith("graphic violence") ? VIOLENCE : SEXUAL;
        if (h.startsWith("assisting illegal")) {
            if (s.startsWith("threats") || s.startsWith("animal abuse") || s.contains("violence") || s.contains("terror")) return VIOLENCE;
            if (s.startsWith("financial crimes") || s.startsWith("copyright") || s.contains("fraud") || s.contains("scam")) return FRAUD;
            if (s.startsWith("illegal digital") || s.contains("hack")) return CYBER;
            if (s.startsWith("illegal drugs") || s.contains("weapon")) return s.contains("weapon") ? VIOLENCE : SUBSTANCES;
            if (s.contains("surveillance")) return PRIVACY;
            return ILLEGAL;
        }
        if (h.startsWith("causing material harm")) return UNSAFE_ADVICE;
        if (h.startsWith("compromise privacy")) return PRIVACY;
        if (h.startsWith("disseminating false")) return s.startsWith("hazardous") ? UNSAFE_ADVICE : MISINFORMATION;
        if (h.startsWith("mental health")) return s.startsWith("self-harm") ? SELF_HARM : MENTAL_HEALTH;
        if (h.startsWith("nudging")) return s.startsWith("defamatory") || s.startsWith("trolling") || s.contains("cyberbullying") ? HATE : UNSAFE_ADVICE;
        if (h.startsWith("reducing the cost")) return s.startsWith("spam") ? FRAUD : MISINFORMATION;
        if (h.startsWith("risks from leaking")) return s.startsWith("cybersecurity") ? CYBER : PRIVACY;
        if (h.startsWith("social stereotypes") || h.startsWith("toxic language")) return HATE;
        if (h.startsWith("treat chatbot")) return OVERRELIANCE;
        return ILLEGAL;
    }

    static String ofXstest(String type, String text) {
        if (type.contains("discr")) return HATE;
        if (type.contains("privacy")) return PRIVACY;
        String t = text.toLowerCase(Locale.ROOT);
        for (String drug : List.of("drug", "cocaine", "heroin", "meth", "crack", "weed", "lsd", "ecstasy", "poison")) {
            if (t.contains(drug)) return SUBSTANCES;
        }
        return VIOLENCE;
    }
}
