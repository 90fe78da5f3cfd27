package io.controlcenter;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.StartException;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/** Starts Control Center: camel-main with application.properties and the YAML routes in routes/. */
public final class Application {

    /**
     * An application.properties in the working directory, then the built-in one: the first location that has a key
     * wins, so the file operators edit overrides the defaults in the jar.
     */
    public static final String SETTINGS = "file:application.properties;optional=true,"
            + "classpath:application.properties;optional=true";
    /** Exit status of a start refused for a missing or wrong setting. */
    public static final int EXIT_CONFIGURATION = 2;
    /** Exit status of any other failed start (the database, a port in use, ...). */
    public static final int EXIT_START_FAILED = 1;

    private Application() {
    }

    /**
     * Runs until stopped. A start that fails for a reason we know (a setting, the database, the HTTP port) ends the
     * process with one line that names it, and a non-zero status; an unexpected failure also shows its stack trace.
     */
    public static void main(String... args) {
        try {
            createMain().run(args);
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigurationException || t instanceof StartException) {
                    LoggerFactory.getLogger(Application.class).error("Control Center did not start: {}", t.getMessage());
                    System.exit(t instanceof ConfigurationException ? EXIT_CONFIGURATION : EXIT_START_FAILED);
                }
            }
            LoggerFactory.getLogger(Application.class).error("Control Center did not start: {}", e.getMessage(), e);
            System.exit(EXIT_START_FAILED);
        }
    }

    /** The camel-main of Control Center, also used by the tests to boot the real application. */
    public static Main createMain() {
        Main main = new Main(); // no classpath scanning: routes come from routes/, beans from components
        main.setPropertyPlaceholderLocations(SETTINGS);
        return main;
    }
}
