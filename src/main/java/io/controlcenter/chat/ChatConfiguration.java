package io.controlcenter.chat;

import java.util.Map;

import javax.sql.DataSource;

import io.controlcenter.ops.Meters;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Binds the chat beans routes/chat.yaml and routes/api-chat.yaml call: {@code chatTracker} (duplicates dropped, runs
 * tracked), {@code chatStore} and {@code chatApi}. Listed in {@code camel.main.configuration-classes} after the
 * database.
 */
public class ChatConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ChatSettings settings = ChatSettings.load(context);
        DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        if (dataSource == null) {
            throw new IllegalStateException("no dataSource: the database configuration must come first in "
                    + "camel.main.configuration-classes");
        }
        String gateway = context.getPropertiesComponent().resolveProperty("gateway.name").orElse("default");
        ChatStore store = new ChatStore(dataSource);
        ChatTracker tracker = new ChatTracker(settings.dedupeTtlMs(), settings.cooldownMs());
        for (Map<String, Object> run : store.inFlight(gateway)) {
            if (run.get("startedBy") != null) {
                tracker.expectRun(gateway, (String) run.get("runId")); // started here before a restart
            }
        }
        context.getRegistry().bind("chatStore", store);
        context.getRegistry().bind("chatTracker", tracker);
        context.getRegistry().bind("chatApi", new ChatApi(gateway, store, tracker));
        context.getRegistry().bind("chatReconcile", new ChatReconcile(gateway, store));
        tracker.bindTo(Meters.registry(context));
        context.addService(tracker, true, true); // its counters in JMX
    }
}
