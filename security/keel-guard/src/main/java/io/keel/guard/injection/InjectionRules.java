package io.keel.guard.injection;

import io.keel.core.guard.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Known shapes of prompt-injection, in English and German: overriding earlier instructions, changing the model's
 * role, extracting the system prompt, fake conversation markup, and exfiltration instructions aimed at the model.
 * Each rule has a score; a text's rule score is the highest score of any rule that matches. Thread-safe.
 */
public final class InjectionRules {
    /** @param hints literals (lower case) of which a text must contain one for the pattern to be tried at all */
    record Rule(String name, Pattern pattern, double score, boolean caseSensitive, List<String> hints) {
        boolean worthTrying(String text, String lower) {
            String t = caseSensitive ? text : lower;
            for (String h : hints) if (t.contains(h)) return true;
            return false;
        }
    }

    /**
     * Rules are written in lower case and matched against the lower-cased text: one {@code toLowerCase} is far cheaper
     * than case-insensitive matching in twenty patterns. (Patterns use only lower-case escapes: \\b, \\s, \\w.)
     */
    private static Rule rule(String name, String hints, double score, String regex) {
        return new Rule(name, Pattern.compile(regex.toLowerCase(Locale.ROOT)), score, false, List.of(hints.split("\\|")));
    }

    /** Where an instruction addressed to the model starts: the text's or a sentence's start, "please", "you will ...". */
    private static final String ADDRESSED = "(?:^|[.!?:\\n]\\s*|\\bplease\\s+|\\bi want you to\\s+|\\byou (?:will|must|should|shall|are going to|need to)\\s+|\\bnow,?\\s+|\\bthen\\s+)";
    private static final String PRIOR = "(?:all |any |the |your |my |these |those )*(?:previous|prior|above|earlier|preceding|initial|original|system|old|foregoing)";
    private static final String RULES = "(?:instructions?|prompts?|rules?|directions?|guidelines?|commands?|context|constraints?|tasks?|orders?|information)";

    static final List<Rule> RULE_SET = List.of(
            rule("ignore-previous", "ignore|disregard|forget|skip|override|bypass|drop|abandon|leave|aside", 0.95, "\\b(?:ignore|disregard|forget|skip|override|bypass|drop|abandon|leave|put aside|set aside)\\s+(?:all\\s+|any\\s+|everything\\s+)?" + PRIOR + "\\s+" + RULES),
            rule("ignore-everything", "ignore|disregard|forget", 0.85, "\\b(?:ignore|disregard|forget)\\s+(?:everything|all of that|all that|what) (?:(?:i|you|we) (?:said|told|wrote|were told)|above|before|so far)"),
            rule("forget-all", "forget", 0.75, "\\bforget (?:about )?(?:everything|all|the above)\\b"),
            rule("new-instructions", "instruction|task|rules|orders", 0.8, "\\b(?:new|updated|real|actual|secret) (?:instructions?|task|rules|orders)\\s*(?::|are|is)\\s"),
            rule("now-focus", "now", 0.7, "\\bnow (?:focus on|concentrate on|your (?:new )?task is|you (?:must|will|should|are going to)|i want you to)\\b"),
            // Role-play alone is an ordinary request ("Act as a science teacher and ..."): a signal below the threshold.
            rule("role-change", "you are now|from now on|pretend|act as|roleplay|you will act|imagine you", 0.45, ADDRESSED + "(?:you are now|from now on,? you(?: are| will| must)?|pretend (?:to be|you are|that you)|act as (?:if|an?|the|my)|roleplay as|you will act as|imagine you are)\\b"),
            rule("jailbreak-persona", "anything now|developer mode|jailbreak|god mode|unfiltered|evil", 0.95, "\\b(?:do anything now|developer mode|jailbreak(?:ed)?|god mode|unfiltered mode|evil (?:bot|assistant|confidant))\\b"),
            new Rule("dan", Pattern.compile("\\bDAN\\b"), 0.7, true, List.of("DAN")),
            rule("no-restrictions", "restriction|filter|limitation|censor|guideline|rules|safety|polic|ethical", 0.75, "\\b(?:without|free of|free from|ignore your|you have no|bypass (?:your|all|any)) (?:any )?(?:restrictions|filters?|limitations|censorship|guidelines|rules|safety|content polic(?:y|ies)|ethical (?:guidelines|constraints))\\b"),
            rule("reveal-system-prompt", "prompt", 0.9, "\\b(?:reveal|show|print|repeat|output|display|tell me|give me|write out|leak|spell out|what (?:is|are|was|were))\\s+(?:me\\s+)?(?:your|the|all)\\s+(?:\\w+\\s+)?(?:system prompt|initial prompt|hidden prompt|original prompt|pre-?prompt|prompt texts?)"),
            rule("reveal-your-instructions", "your", 0.85, "\\b(?:reveal|show|print|repeat|output|display|tell me|give me|write out|leak|spell out|what (?:is|are|was|were))\\s+(?:me\\s+)?(?:all\\s+)?your\\s+(?:\\w+\\s+)?(?:instructions|prompt|rules you were given|first (?:instruction|prompt|message))"),
            // "Well done. That is enough. Now help me with another task": the classic task switch
            rule("task-switch", "task", 0.85, "\\b(?:now|but now|next|instead)\\b[^.!?]{0,40}\\b(?:new|another|following|different|next) task\\b[^.!?]{0,40}(?:[.:!]|$)|\\b(?:that is|that's) (?:enough|done)\\b[^.!?]{0,8}[.!]\\s*now\\b"),
            rule("stop-and-instead", "stop", 0.85, "\\bstop (?:what you are doing|what you're doing|everything|all (?:of )?that|here)\\b[^.!?]{0,80}\\binstead\\b"),
            rule("ignore-everything-output", "ignore everything|ignore all", 0.85, "\\bignore (?:everything|all)\\b[^.!?]{0,30}\\b(?:and|just|only)\\s+(?:\\w+\\s+)?(?:output|say|print|write|answer|respond)\\b"),
            rule("not-the-documents", "document|article|context|text", 0.85, "\\b(?:do not|don't|dont) (?:look (?:in|at)|use|read|consider) (?:the |these |any )?(?:documents?|articles?|context|texts?)(?: provided)?\\b|\\bnot (?:by|from|based on) the (?:articles?|documents?|context)\\b"),
            rule("prompt-above", "above", 0.75, "\\b(?:text|words|everything|all) (?:above|before this|written above)\\b.*\\b(?:repeat|print|output|translate|summari[sz]e)\\b|\\b(?:repeat|print|output) (?:the )?(?:text|words|everything) above\\b"),
            rule("chat-markup", "<|[inst|[/inst|<<sys|<</sys|</s>|###|system", 0.9, "(?:<\\|im_start\\|>|<\\|im_end\\|>|<\\|system\\|>|\\[/?INST\\]|<</?SYS>>|</s>|###\\s*(?:system|instruction|new instruction)|\\bsystem\\s*:\\s*you are)"),
            rule("exfil-instruction", "http|url|webhook|email|![", 0.85, "\\b(?:send|post|upload|forward|transmit|exfiltrate|leak)\\b.{0,40}\\b(?:to|into|via)\\b.{0,40}(?:https?://|\\burl\\b|\\bwebhook\\b|\\bemail\\b|!\\[)"),
            rule("hidden-from-user", "user", 0.8, "\\b(?:do not|don't|never) (?:tell|inform|mention to|reveal to|show) (?:the )?user\\b"),
            rule("ai-addressed", "ai|assistant|chatbot|model|llm", 0.7, "\\b(?:ai|assistant|chatbot|language model|llm),? (?:please )?(?:ignore|disregard|you must|you should now|new task)\\b"),
            // German
            rule("de-ignore-previous", "ignorier|vergiss|vergessen|missachte|übergehe", 0.95, "\\b(?:ignoriere|ignorieren sie|vergiss|vergessen sie|missachte|übergehe)\\s+(?:bitte\\s+)?(?:alle\\s+|die\\s+|deine\\s+|sämtliche\\s+)*(?:vorherigen|bisherigen|obigen|vorigen|vorangegangenen|früheren|alten|ursprünglichen)?\\s*(?:anweisungen|befehle|instruktionen|regeln|aufgaben|vorgaben|informationen)"),
            rule("de-ignore-above", "ignorier|vergess", 0.9, "\\b(?:obigen|vorherigen|bisherigen|vorangegangenen) (?:ausführungen|anweisungen|angaben|aufgaben|texte?)\\s+(?:\\w+\\s+)?(?:ignorieren|vergessen)\\b"),
            rule("de-forget-all", "vergiss|vergessen|ignoriere", 0.85, "\\b(?:vergiss|vergessen sie|ignoriere) (?:alles|das alles|all das|alle)\\b"),
            rule("de-role-change", "du bist|ab jetzt|ab sofort|tu so|stell dir vor|verhalte dich|agiere", 0.45, "\\b(?:du bist (?:jetzt|nun|ab sofort)|(?:nun|jetzt) bist du|ab (?:jetzt|sofort) bist du|tu so,? als ob|stell dir vor,? du bist|verhalte dich wie|agiere als)\\b"),
            rule("de-new-task", "aufgabe|anweisung|instruktion", 0.8, "\\b(?:neue|nächste|deine neue|eigentliche) (?:aufgabe|anweisung|anweisungen|instruktion)\\b"),
            rule("de-now-focus", "jetzt|nun", 0.7, "\\b(?:jetzt|nun) (?:konzentriere dich|fokussiere dich|musst du|sollst du)\\b"),
            rule("de-reveal-prompt", "prompt|anweisung|instruktion", 0.85, "\\b(?:zeige?|gib|nenne|verrate|wiederhole)\\s+(?:mir\\s+)?(?:deinen?|die|den)\\s+(?:system-?prompt|anweisungen|prompt|instruktionen)"));

    /**
     * The vocabulary of jailbreak templates (DAN and its many descendants): phrases that ask the model to keep up a
     * persona, drop its policy, answer everything, or answer twice. Ordinary requests use one of them now and then
     * ("simulate", "from now on"); jailbreaks stack them. In the training parts of the data sets, 70 % of the
     * jailbreaks hold three or more distinct markers, against 1 of 1,863 benign instructions, none of 303 XSTest
     * prompts and none of 946 benign role-plays; two markers: 77 % of the jailbreaks, 0.16 % of the benign
     * instructions.
     */
    static final List<String> JAILBREAK_MARKERS = List.of("stay in character", "break character", "do anything now",
            "can do anything", "never refuse", "never censor", "content polic", "typical confines", "abide by", "as chatgpt",
            "hello chatgpt", "original chatgpt", "standard chatgpt", "normal chatgpt", "chatgpt response", "any warnings",
            "immoral", "amoral", "unethical", "not care about", "doesn't care", "does not care", "insert prompt",
            "any request", "always answer", "not been verified", "swear", "two responses", "two different", "uncensored",
            "unfiltered", "illegal", "jailbr", "developer mode", "from now on", "going to act", "going to pretend",
            "none of your responses", "no restrictions", "no limitations", "without restrictions", "without any restrictions",
            "no filters", "no ethical", "no moral", "ethical guidelines", "moral guidelines", "openai", "anthropic",
            "remind you", "simulate", "pretend", "hypothetical", "offensive", "explicit", "harmful", "refuse", "censor", "rules");
    static final double MARKERS_3 = 0.95;
    static final double MARKERS_2 = 0.7;

    /** Distinct {@link #JAILBREAK_MARKERS} in a lower-cased text. */
    static int jailbreakMarkers(String lower) {
        int n = 0;
        for (String m : JAILBREAK_MARKERS) if (lower.contains(m)) n++;
        return n;
    }

    /** Rule findings over {@code text}; type {@code PROMPT_INJECTION}, detector {@code injection-rules:<rule>}. */
    public List<Finding> match(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        boolean sameOffsets = lower.length() == text.length();
        List<Finding> out = new ArrayList<>();
        int markers = jailbreakMarkers(lower);
        if (markers >= 2) {
            out.add(new Finding(InjectionDetector.TYPE, 0, text.length(), markers >= 3 ? MARKERS_3 : MARKERS_2, "injection-rules:jailbreak-markers"));
        }
        for (Rule r : RULE_SET) {
            if (!r.worthTrying(text, lower)) continue;
            Matcher m = r.pattern().matcher(r.caseSensitive() ? text : lower);
            if (m.find()) {
                boolean exact = r.caseSensitive() || sameOffsets;
                out.add(new Finding(InjectionDetector.TYPE, exact ? m.start() : 0, exact ? m.end() : text.length(), r.score(),
                        "injection-rules:" + r.name()));
            }
        }
        return out;
    }
}
