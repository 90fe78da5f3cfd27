package io.controlcenter.config;

/** Text for operators. */
public final class Messages {

    private Messages() {
    }

    /** Every cause's message, each once, on one line: "Failed to create SSL connection: PKIX path building failed ...". */
    public static String causes(Throwable e) {
        StringBuilder why = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replaceAll("\\s+", " ").trim();
            if (why.indexOf(m) < 0) {
                why.append(why.length() == 0 ? "" : ": ").append(m);
            }
        }
        return why.toString();
    }

    /** The first line of {@code s}, or "unreadable" for none. */
    public static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
