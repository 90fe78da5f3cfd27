package io.controlcenter.chat;

import java.util.Map;

import javax.sql.DataSource;

import io.controlcenter.db.Database;
import io.controlcenter.gateway.GatewaySettings;
import io.controlcenter.ops.Meters;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.CamelContextHelper;

/**
 * Binds the chat beans routes/chat.yaml and routes/api-chat.yaml call: {@code chatTracker} (duplicates dropped, runs
 * tracked), {@code chatStore}, {@code chatApi} and {@code chatReconcile}. Listed in
 * {@code camel.main.configuration-classes} after the database, whose {@code dataSource} it uses.
 */
public class ChatConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ChatSettings settings = ChatSettings.load(context);
        ChatStore store = new ChatStore(CamelContextHelper.mandatoryLookup(context, Database.DATA_SOURCE, DataSource.class));
        ChatTracker tracker = new ChatTracker(settings.dedupeTtlMs(), settings.cooldownMs());
        for (String name : GatewaySettings.names(context)) {
            for (Map<String, Object> run : store.inFlight(name)) {
                if (run.get("startedBy") != null) {
                    tracker.expectRun(name, (String) run.get("runId")); // started here before a restart
                }
            }
        }
        context.getRegistry().bind("chatStore", store);
        context.getRegistry().bind("chatTracker", tracker);
        context.getRegistry().bind("chatApi", new ChatApi(store, tracker));
        context.getRegistry().bind("chatReconcile", new ChatReconcile(store));
        tracker.bindTo(Meters.registry(context));
        context.addService(tracker, true, true); // its counters in JMX
    }
}
