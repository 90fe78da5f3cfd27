package io.controlcenter;

import org.apache.camel.main.Main;

/** Starts Control Center: camel-main with application.properties and the YAML routes in routes/. */
public final class Application {

    /**
     * An application.properties in the working directory, then the built-in one: the first location that has a key
     * wins, so the file operators edit overrides the defaults in the jar.
     */
    public static final String SETTINGS = "file:application.properties;optional=true,"
            + "classpath:application.properties;optional=true";

    private Application() {
    }

    public static void main(String... args) throws Exception {
        createMain().run(args);
    }

    /** The camel-main of Control Center, also used by the tests to boot the real application. */
    public static Main createMain() {
        Main main = new Main(); // no classpath scanning: routes come from routes/, beans from components
        main.setPropertyPlaceholderLocations(SETTINGS);
        return main;
    }
}
