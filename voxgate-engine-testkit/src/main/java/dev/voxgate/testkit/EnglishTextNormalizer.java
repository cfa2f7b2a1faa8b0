package dev.voxgate.testkit;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts written English (Whisper's "Mr. Smith paid $20 on the 3rd.") and spoken-form references
 * ("mister smith paid twenty dollars on the third") into one form before they are compared, so a
 * word error rate counts recognition errors, not spelling conventions. Apply it to both sides.
 *
 * <p>The form: lower case, no accents, no punctuation (a decimal point between digits stays);
 * numbers as digits ({@code "forty two"} and {@code "42"} are {@code 42}, {@code "fourteen fifty
 * five"} is {@code 1455}, {@code "twenty first"} is {@code 21st}, {@code "$20"} and {@code "twenty
 * dollars"} are {@code 20 dollars}, {@code "5%"} is {@code 5 percent}); titles spelled out
 * ({@code Mr.} → {@code mister}, {@code St. Paul} → {@code saint paul}); American spelling;
 * contractions expanded ({@code don't} → {@code do not}, {@code I'm} → {@code i am}); hesitations
 * ({@code um}, {@code uh}) dropped.
 *
 * <p>Digits were chosen over words because several spoken forms map to one written number
 * ("fourteen fifty five", "one thousand four hundred fifty five") but not back. The one spoken
 * number left alone is a lone {@code second}, which is far more often the unit of time.
 */
public final class EnglishTextNormalizer {

    private EnglishTextNormalizer() {
    }

    public static String normalize(String text) {
        return String.join(" ", words(text));
    }

    public static List<String> words(String text) {
        String t = text == null ? "" : text;
        t = Normalizer.normalize(t, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        t = t.replace('\u2019', '\'').replace('\u2018', '\'').replace('\u02bc', '\'').replace('`', '\'');
        t = titles(t);
        t = symbols(t);
        t = t.toLowerCase(Locale.ROOT);
        List<String> tokens = tokens(t);
        tokens = expandAndRespell(tokens);
        tokens = numbers(tokens);
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String w = tokens.get(i);
            if (w.equals("per") && i + 1 < tokens.size() && tokens.get(i + 1).equals("cent")) {
                out.add("percent");
                i++;
                continue;
            }
            String c = CANONICAL.getOrDefault(w, w);
            if (!c.isEmpty()) out.addAll(List.of(c.split(" ")));
        }
        return out;
    }

    // ---- titles, before lower case: "St." is a saint before a name and a street after one -----------------

    private static final Pattern SAINT = Pattern.compile("\\bSt\\.?(?=\\s+[A-Z])");
    private static final Pattern STREET = Pattern.compile("(?<=[A-Za-z]\\s)St\\b\\.?");
    /** A title is an abbreviation with a full stop, or one without that comes before a capitalised name. */
    private static final Pattern TITLE = Pattern.compile(
            "\\b((?i:mrs|mr|ms|dr|prof|jr|sr|gen|capt|lt|col|sgt|rev|gov|sen|rep))(\\.|\\b(?=\\s+[A-Z]))");
    private static final Map<String, String> TITLE_WORDS = Map.ofEntries(
            Map.entry("mr", "mister"), Map.entry("mrs", "missus"), Map.entry("ms", "miss"), Map.entry("dr", "doctor"),
            Map.entry("prof", "professor"), Map.entry("jr", "junior"), Map.entry("sr", "senior"),
            Map.entry("gen", "general"),
            Map.entry("capt", "captain"), Map.entry("lt", "lieutenant"), Map.entry("col", "colonel"),
            Map.entry("sgt", "sergeant"),
            Map.entry("rev", "reverend"), Map.entry("gov", "governor"), Map.entry("sen", "senator"),
            Map.entry("rep", "representative"));

    private static String titles(String t) {
        t = SAINT.matcher(t).replaceAll("saint");
        t = STREET.matcher(t).replaceAll("street");
        Matcher m = TITLE.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, TITLE_WORDS.get(m.group(1).toLowerCase(Locale.ROOT)) + " ");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    // ---- currency, percent, ampersand, digit grouping ------------------------------------------------------

    private static final Pattern MONEY = Pattern.compile("([$£€])\\s?(\\d[\\d,]*)(?:\\.(\\d\\d))?\\b");
    private static final Pattern PERCENT = Pattern.compile("(\\d)\\s?%");
    private static final Pattern GROUPING = Pattern.compile("(?<=\\d),(?=\\d{3}\\b)");
    private static final Map<String, String> CURRENCY = Map.of("$", "dollars", "£", "pounds", "€", "euros");

    private static String symbols(String t) {
        t = GROUPING.matcher(t).replaceAll("");
        Matcher m = MONEY.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String cents = m.group(3) == null || m.group(3).equals("00") ? "" : " " + Integer.parseInt(m.group(3))
                    + " cents";
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2) + " " + CURRENCY.get(m.group(1)) + cents));
        }
        m.appendTail(sb);
        t = PERCENT.matcher(sb).replaceAll("$1 percent");
        return t.replace("&", " and ");
    }

    // ---- tokens: letters, digits, apostrophes inside words, a point between digits -------------------------

    private static final Pattern DIGITS_THEN_LETTERS = Pattern.compile("^(\\d+(?:\\.\\d+)?)([a-z]+)$");

    private static List<String> tokens(String t) {
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean decimalPoint = c == '.' && i > 0 && i + 1 < t.length()
                    && Character.isDigit(t.charAt(i - 1)) && Character.isDigit(t.charAt(i + 1));
            if (Character.isLetterOrDigit(c) || c == '\'' || decimalPoint) sb.append(c);
            else sb.append(' ');
        }
        List<String> out = new ArrayList<>();
        for (String raw : sb.toString().trim().split("\\s+")) {
            String w = raw.replaceAll("^'+|'+$", "");
            if (w.isEmpty()) continue;
            // "10km" → "10 km", but "21st" and "1990s" stay whole.
            Matcher m = DIGITS_THEN_LETTERS.matcher(w);
            if (m.matches() && !m.group(2).matches("st|nd|rd|th|s")) {
                out.add(m.group(1));
                out.add(m.group(2));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    // ---- contractions and British spellings -----------------------------------------------------------------

    private static final Map<String, String> CONTRACTIONS = Map.ofEntries(
            Map.entry("won't", "will not"), Map.entry("can't", "can not"), Map.entry("cannot", "can not"),
            Map.entry("shan't", "shall not"), Map.entry("ain't", "is not"), Map.entry("let's", "let us"),
            Map.entry("y'all", "you all"), Map.entry("em", "them"), Map.entry("o'er", "over"));
    private static final Set<String> IS_PRONOUNS =
            Set.of("it", "he", "she", "that", "there", "what", "where", "who", "here", "how");
    private static final Map<String, String> SUFFIXES = Map.of("n't", " not", "'re", " are", "'m", " am",
            "'ll", " will", "'ve", " have", "'d", " would");

    private static List<String> expandAndRespell(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size() + 8);
        for (String w : tokens) {
            String expanded = expand(w);
            for (String part : expanded.split(" ")) out.add(American.spell(part));
        }
        return out;
    }

    private static String expand(String w) {
        String fixed = CONTRACTIONS.get(w);
        if (fixed != null) return fixed;
        for (Map.Entry<String, String> e : SUFFIXES.entrySet()) {
            if (w.endsWith(e.getKey()) && w.length() > e.getKey().length()) {
                return w.substring(0, w.length() - e.getKey().length()) + e.getValue();
            }
        }
        if (w.endsWith("'s") && IS_PRONOUNS.contains(w.substring(0, w.length() - 2))) return w.substring(0,
                w.length() - 2) + " is";
        return w;
    }

    /** British to American spelling, by explicit word families rather than blind suffix rules ("compelled" stays). */
    static final class American {
        private static final Map<String, String> WORDS = new HashMap<>();

        static {
            // -our → -or, with the forms built on it.
            for (String stem : List.of("colo", "favo", "hono", "labo", "neighbo", "behavio", "humo", "rumo", "splendo",
                    "harbo",
                    "flavo", "odo", "vapo", "vigo", "savo", "armo", "endeavo", "parlo", "ranco", "valo", "clamo",
                    "fervo", "ardo",
                    "cando", "tumo", "savio", "demeano")) {
                for (String suffix : List.of("", "s", "ed", "ing", "ful", "fully", "less", "able", "ably", "ite",
                        "ites", "er", "ers",
                        "ist", "ists", "y", "'s")) {
                    WORDS.put(stem + "ur" + suffix, stem + "r" + suffix);
                }
            }
            // -ise → -ize (only verbs that take -ize in American English; "promise", "advertise" are not here).
            for (String stem : List.of("agoni", "antagoni", "apologi", "authori", "capitali", "categori", "centrali",
                    "characteri",
                    "civili", "coloni", "commerciali", "computeri", "critici", "customi", "digiti", "dramati",
                    "economi", "emphasi",
                    "energi", "equali", "evangeli", "familiari", "fantasi", "fertili", "finali", "fossili", "generali",
                    "globali",
                    "harmoni", "hospitali", "hypnoti", "idoli", "immuni", "industriali", "initiali", "itemi",
                    "jeopardi", "legali",
                    "liberali", "locali", "magneti", "materiali", "maximi", "memori", "mesmeri", "minimi", "mobili",
                    "moderni",
                    "monopoli", "nationali", "naturali", "neutrali", "normali", "optimi", "organi", "ostraci",
                    "pasteuri", "patroni",
                    "penali", "personali", "polari", "populari", "pressuri", "prioriti", "publici", "rationali",
                    "reali", "recogni",
                    "regulari", "revolutioni", "saniti", "satiri", "scandali", "scrutini", "sensationali", "sensiti",
                    "sociali",
                    "solemni", "speciali", "stabili", "standardi", "sterili", "stigmati", "subsidi", "summari",
                    "symboli", "sympathi",
                    "synchroni", "terrori", "theori", "traumati", "triviali", "urbani", "utili", "vandali", "visuali",
                    "vocali",
                    "westerni")) {
                for (String[] f : new String[][] {{"se", "ze"}, {"sed", "zed"}, {"ses", "zes"}, {"sing", "zing"},
                        {"sation", "zation"}, {"sations", "zations"}, {"ser", "zer"}, {"sers", "zers"}}) {
                    WORDS.put(stem + f[0], stem + f[1]);
                }
            }
            for (String stem : List.of("analy", "paraly", "cataly", "electroly", "dialy")) {
                for (String[] f : new String[][] {{"se", "ze"}, {"sed", "zed"}, {"sing", "zing"}, {"ser", "zer"}}) {
                    WORDS.put(stem + f[0], stem + f[1]);
                }
            }
            // -re → -er.
            for (String stem : List.of("cent", "theat", "met", "kilomet", "centimet", "millimet", "nanomet", "lit",
                    "millilit",
                    "fib", "calib", "somb", "spect", "meag", "lust", "sab", "scept", "goit", "och", "sepulch",
                    "manoeuv")) {
                String american = stem.replace("manoeuv", "maneuv");
                WORDS.put(stem + "re", american + "er");
                WORDS.put(stem + "res", american + "ers");
                WORDS.put(stem + "red", american + "ered");
            }
            // British doubling of a final l before -ed, -ing, -er, -or.
            for (String stem : List.of("travel", "counsel", "cancel", "label", "model", "fuel", "level", "marvel",
                    "quarrel",
                    "signal", "total", "dial", "equal", "channel", "funnel", "tunnel", "rival", "grovel", "shovel",
                    "swivel",
                    "chisel", "initial", "pencil", "duel", "libel", "panel", "parcel", "pedal", "spiral", "stencil",
                    "snorkel",
                    "yodel", "enamel", "gravel", "kennel", "revel", "barrel", "bevel", "cudgel", "dishevel", "drivel",
                    "jewel",
                    "shrivel", "tinsel", "towel", "unravel", "vial")) {
                for (String[] f : new String[][] {{"led", "ed"}, {"ling", "ing"}, {"ler", "er"}, {"lers", "ers"},
                        {"lor", "or"}, {"lors", "ors"}}) {
                    WORDS.put(stem + f[0], stem + f[1]);
                }
            }
            String[][] single = {
                    {"marvellous", "marvelous"}, {"marvellously", "marvelously"}, {"jewellery", "jewelry"},
                            {"woollen", "woolen"},
                    {"grey", "gray"}, {"greys", "grays"}, {"greyish", "grayish"}, {"greyer", "grayer"},
                    {"defence", "defense"}, {"defences", "defenses"}, {"offence", "offense"}, {"offences", "offenses"},
                    {"licence", "license"}, {"licences", "licenses"}, {"pretence", "pretense"},
                    {"practise", "practice"}, {"practised", "practiced"}, {"practises", "practices"},
                    {"practising", "practicing"},
                    {"programme", "program"}, {"programmes", "programs"}, {"catalogue", "catalog"},
                    {"catalogues", "catalogs"},
                    {"analogue", "analog"}, {"dialogue", "dialog"}, {"dialogues", "dialogs"}, {"monologue", "monolog"},
                    {"cheque", "check"}, {"cheques", "checks"}, {"tyre", "tire"}, {"tyres", "tires"},
                    {"plough", "plow"},
                    {"ploughed", "plowed"}, {"ploughing", "plowing"}, {"sceptic", "skeptic"},
                    {"sceptical", "skeptical"},
                    {"scepticism", "skepticism"}, {"aluminium", "aluminum"}, {"aeroplane", "airplane"},
                    {"aeroplanes", "airplanes"},
                    {"moustache", "mustache"}, {"pyjamas", "pajamas"}, {"storey", "story"}, {"storeys", "stories"},
                    {"kerb", "curb"}, {"draught", "draft"}, {"draughts", "drafts"}, {"gaol", "jail"}, {"mould", "mold"},
                    {"mouldy", "moldy"}, {"smoulder", "smolder"}, {"smouldering", "smoldering"}, {"ageing", "aging"},
                    {"judgement", "judgment"}, {"acknowledgement", "acknowledgment"}, {"enrol", "enroll"},
                    {"enrolment", "enrollment"},
                    {"fulfil", "fulfill"}, {"fulfilment", "fulfillment"}, {"instalment", "installment"},
                    {"skilful", "skillful"},
                    {"wilful", "willful"}, {"distil", "distill"}, {"foetus", "fetus"}, {"paediatric", "pediatric"},
                    {"anaemia", "anemia"}, {"anaesthetic", "anesthetic"}, {"encyclopaedia", "encyclopedia"},
                    {"mediaeval", "medieval"}, {"manoeuvre", "maneuver"}, {"manoeuvres", "maneuvers"},
                    {"oestrogen", "estrogen"},
                    {"learnt", "learned"}, {"spelt", "spelled"}, {"dreamt", "dreamed"}, {"spoilt", "spoiled"},
                    {"cosy", "cozy"}, {"artefact", "artifact"}, {"artefacts", "artifacts"}, {"sulphur", "sulfur"},
            };
            for (String[] pair : single) WORDS.put(pair[0], pair[1]);
        }

        static String spell(String w) {
            return WORDS.getOrDefault(w, w);
        }
    }

    // ---- numbers: spoken forms to digits ---------------------------------------------------------------------

    private enum Kind { ONES, TEENS, TENS, HUNDRED, BIG }

    private record NumberWord(Kind kind, long value, boolean ordinal) {
    }

    private static final Map<String, NumberWord> NUMBER_WORDS = new HashMap<>();

    static {
        String[] ones = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
        String[] onesOrd =
                {"zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"};
        String[] teens =
                {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                "nineteen"};
        String[] teensOrd =
                {"tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                "eighteenth", "nineteenth"};
        String[] tens = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
        String[] tensOrd =
                {"twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"};
        for (int i = 0; i < 10; i++) {
            NUMBER_WORDS.put(ones[i], new NumberWord(Kind.ONES, i, false));
            NUMBER_WORDS.put(onesOrd[i], new NumberWord(Kind.ONES, i, true));
            NUMBER_WORDS.put(teens[i], new NumberWord(Kind.TEENS, 10 + i, false));
            NUMBER_WORDS.put(teensOrd[i], new NumberWord(Kind.TEENS, 10 + i, true));
        }
        for (int i = 0; i < 8; i++) {
            NUMBER_WORDS.put(tens[i], new NumberWord(Kind.TENS, 20 + 10L * i, false));
            NUMBER_WORDS.put(tensOrd[i], new NumberWord(Kind.TENS, 20 + 10L * i, true));
        }
        NUMBER_WORDS.put("hundred", new NumberWord(Kind.HUNDRED, 100, false));
        NUMBER_WORDS.put("hundredth", new NumberWord(Kind.HUNDRED, 100, true));
        String[] big = {"thousand", "million", "billion", "trillion"};
        long scale = 1000;
        for (String b : big) {
            NUMBER_WORDS.put(b, new NumberWord(Kind.BIG, scale, false));
            NUMBER_WORDS.put(b + "th", new NumberWord(Kind.BIG, scale, true));
            scale *= 1000;
        }
    }

    private static boolean isScale(String w) {
        NumberWord n = NUMBER_WORDS.get(w);
        return n != null && (n.kind() == Kind.HUNDRED || n.kind() == Kind.BIG) && !n.ordinal();
    }

    private static List<String> numbers(List<String> in) {
        List<String> out = new ArrayList<>(in.size());
        int i = 0;
        while (i < in.size()) {
            String w = in.get(i);
            boolean startsWithA = w.equals("a") && i + 1 < in.size() && isScale(in.get(i + 1));
            boolean digitsThenScale = w.matches("\\d+") && i + 1 < in.size() && isScale(in.get(i + 1));
            NumberWord first = NUMBER_WORDS.get(w);
            if (first == null && !startsWithA && !digitsThenScale) {
                out.add(w);
                i++;
                continue;
            }
            if (first != null && first.ordinal() && first.value() == 2 && !startsWithA) {
                out.add(w); // a lone "second" is the unit of time far more often than the ordinal
                i++;
                continue;
            }
            SpokenNumber n = new SpokenNumber();
            int j = i;
            if (startsWithA || digitsThenScale) {
                n.current = startsWithA ? 1 : Long.parseLong(w);
                n.last = Kind.ONES;
                n.any = true;
                j++;
            }
            while (j < in.size()) {
                String t = in.get(j);
                if (t.equals("and") && n.afterScale() && j + 1 < in.size()
                        && n.accepts(NUMBER_WORDS.get(in.get(j + 1)))) {
                    j++;
                    continue;
                }
                if (t.equals("point") && n.any && !n.ordinal && j + 1 < in.size() && n.decimals.isEmpty()
                        && isDigitWord(in.get(j + 1))) {
                    j++;
                    while (j < in.size()
                            && isDigitWord(in.get(j))) n.decimals.append(NUMBER_WORDS.get(in.get(j++)).value());
                    break;
                }
                if (t.equals("oh") && n.isYearStart() && j + 1 < in.size() && isDigitWord(in.get(j + 1))) {
                    n.yearPrefix = n.current * 100; // "nineteen oh five": "oh" is a zero tens digit
                    n.current = 0;
                    n.last = Kind.TENS;
                    j++;
                    continue;
                }
                NumberWord nw = NUMBER_WORDS.get(t);
                if (!n.accepts(nw)) break;
                n.add(nw);
                j++;
                if (nw.ordinal()) break;
            }
            out.add(n.render());
            i = j;
        }
        return out;
    }

    private static boolean isDigitWord(String w) {
        NumberWord n = NUMBER_WORDS.get(w);
        return n != null && n.kind() == Kind.ONES && !n.ordinal();
    }

    /** A number being read word by word: {@code total} holds completed thousands, {@code current} the part below. */
    private static final class SpokenNumber {
        long total;
        long current;
        long yearPrefix;           // "fourteen fifty five": 1400 once "fifty" follows "fourteen"
        long lastBig = Long.MAX_VALUE;
        Kind last;                 // kind of the last word in the current group of three digits
        boolean any;
        boolean hundred;           // the current group already has its hundreds
        boolean ordinal;
        final StringBuilder decimals = new StringBuilder();

        boolean afterScale() {
            return last == Kind.HUNDRED || last == Kind.BIG;
        }

        boolean accepts(NumberWord w) {
            if (w == null) return false;
            if (!any) return true;
            return switch (w.kind()) {
                case ONES -> last == null || last == Kind.TENS || last == Kind.HUNDRED || last == Kind.BIG;
                case TEENS, TENS -> last == null || last == Kind.HUNDRED || last == Kind.BIG || isYearStart();
                case HUNDRED -> !hundred && current > 0 && current < 100 && yearPrefix == 0
                        && (last == Kind.ONES || last == Kind.TEENS || last == Kind.TENS);
                case BIG -> w.value() < lastBig && (current > 0 || total == 0 && any) && yearPrefix == 0;
            };
        }

        /**
         * Two words that make 10–99 and nothing else ("fourteen", "twenty", "forty two") can be the first half of a
         * year.
         */
        boolean isYearStart() {
            return yearPrefix == 0 && total == 0 && !hundred && current >= 10 && current <= 99 && last != Kind.HUNDRED
                    && last != Kind.BIG;
        }

        void add(NumberWord w) {
            switch (w.kind()) {
                case ONES -> current += w.value();
                case TEENS, TENS -> {
                    if (any && isYearStart()) {
                        yearPrefix = current * 100;
                        current = 0;
                    }
                    current += w.value();
                }
                case HUNDRED -> {
                    current *= 100;
                    hundred = true;
                }
                case BIG -> {
                    total += Math.max(current, 1) * w.value();
                    current = 0;
                    hundred = false;
                    lastBig = w.value();
                }
            }
            last = w.kind();
            any = true;
            ordinal = w.ordinal();
        }

        String render() {
            long value = yearPrefix + total + current;
            if (!decimals.isEmpty()) return value + "." + decimals;
            if (!ordinal) return Long.toString(value);
            long mod100 = value % 100;
            String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch ((int) (value % 10)) {
                case 1 -> "st";
                case 2 -> "nd";
                case 3 -> "rd";
                default -> "th";
            };
            return value + suffix;
        }
    }

    // ---- last: one spelling for words written several ways; hesitations dropped -----------------------------

    private static final Map<String, String> CANONICAL = Map.ofEntries(
            Map.entry("ok", "okay"), Map.entry("alright", "all right"), Map.entry("dollar", "dollars"),
            Map.entry("cent", "cents"),
            Map.entry("pound", "pounds"), Map.entry("euro", "euros"),
            Map.entry("um", ""), Map.entry("umm", ""), Map.entry("uh", ""), Map.entry("uhm", ""), Map.entry("erm", ""),
            Map.entry("hmm", ""), Map.entry("mm", ""), Map.entry("mhm", ""), Map.entry("ah", ""));
}
