package io.funnelflow.contract.event;

/**
 * Characters that no stored text may hold. PostgreSQL refuses NUL in text and jsonb, and an unpaired
 * UTF-16 surrogate is not Unicode at all (jsonb refuses its escape); other control characters are
 * invisible noise in a URL or a name. Identifiers and names that hold them are refused, free text has
 * them removed (see the string rule in docs/architecture.md).
 */
public final class Texts {

    private Texts() {
    }

    /** Why {@code value} cannot be an identifier or a name, or null when it can. */
    public static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return "contains control characters (such as NUL or a line break)";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return "contains an unpaired UTF-16 surrogate, which is not valid Unicode";
                }
            }
        }
        return null;
    }

    /** {@code value} without control characters and unpaired surrogates; the same instance when it has none. */
    public static String strip(String value) {
        if (value == null || problem(value) == null) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    out.append(c).append(value.charAt(++i));
                }
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
