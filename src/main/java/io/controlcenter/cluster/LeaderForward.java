package io.controlcenter.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.controlcenter.api.ApiSettings;
import io.controlcenter.gateway.Json;
import io.controlcenter.gateway.OpenClawConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * With several instances, what this instance asks of the instance that leads a gateway, over its HTTP API (its address
 * as recorded in {@code gateway_leaders}; with {@code api.token} set, the request carries it): a command for the
 * gateway (route {@code gateway-leader} in routes/api-gateway.yaml: the request as received, the leader's answer as the
 * answer) and the gateway's connection as the leader sees it (GET /api/gateways). Bound as {@code leaderForward}.
 */
public class LeaderForward {

    public static final String BEAN_NAME = "leaderForward";
    /** Header of a forwarded request: the instance that forwarded it. Such a request is never forwarded again. */
    public static final String FORWARDED_FROM = "CC-Forwarded-From";
    /** How long the status of a gateway may take from its leader before it is shown as unknown. */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final GatewayLeaders leaders;
    private final String instanceId;
    private final String token;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(STATUS_TIMEOUT).build();

    public LeaderForward(GatewayLeaders leaders, CamelContext context) {
        this.leaders = leaders;
        this.instanceId = leaders.settings().instanceId();
        this.token = ApiSettings.load(context).token();
        this.timeout = Duration.ofMillis(leaders.settings().forwardTimeoutMs());
    }

    /**
     * Sends the API request of {@code exchange} (its method, path, query and body) to the leader of the gateway in
     * header {@code OpenClawGateway}; the leader's status and JSON body become this request's answer. No leader, or one
     * that does not answer: {@link LeaderUnavailableException} (503).
     */
    public void forward(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String gateway = in.getHeader(OpenClawConstants.GATEWAY, String.class);
        GatewayLeaders.Leader leader = leaders.leader(gateway);
        String from = in.getHeader(FORWARDED_FROM, String.class);
        if (leader == null || leader.local() || from != null) {
            throw new LeaderUnavailableException(LeaderUnavailableException.NO_LEADER, "no instance leads gateway "
                    + gateway + " at the moment" + (from != null ? " (instance " + from + " forwarded this request to "
                    + instanceId + ", which does not lead it)" : "") + "; another takes it over within "
                    + leaders.settings().leaseMs() + " ms of its leader's end: try again");
        }
        Object body = in.getBody();
        String json = body instanceof Map<?, ?> || body instanceof List<?> ? Json.write(body)
                : body == null ? "" : in.getBody(String.class);
        HttpRequest.Builder request = request(leader, in.getHeader(Exchange.HTTP_URI, String.class), timeout)
                .header("Content-Type", "application/json")
                .method(in.getHeader(Exchange.HTTP_METHOD, "GET", String.class), json.isEmpty()
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(gateway, leader, e);
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, response.statusCode());
        in.setBody(response.body().isBlank() ? null : Json.parse(response.body()));
    }

    /**
     * The connection of each of {@code gateways} (led elsewhere) as its leader shows it (GET /api/gateways/{name}),
     * asked of the leaders at once; a gateway whose leader does not answer, or that none leads, is absent.
     */
    public Map<String, Map<String, Object>> statuses(List<String> gateways) throws SQLException {
        Map<String, GatewayLeaders.Leader> recorded = leaders.leaders();
        Map<String, CompletableFuture<HttpResponse<String>>> asked = new HashMap<>();
        for (String gateway : gateways) {
            GatewayLeaders.Leader leader = recorded.get(gateway);
            if (leader != null && !leader.local()) {
                asked.put(gateway, http.sendAsync(request(leader, "/api/gateways/" + gateway, STATUS_TIMEOUT).GET()
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        Map<String, Map<String, Object>> statuses = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> e : asked.entrySet()) {
            try {
                HttpResponse<String> response = e.getValue().join();
                if (response.statusCode() == 200) {
                    statuses.put(e.getKey(), Json.parseObject(response.body()));
                }
            } catch (IOException | RuntimeException notAnswered) {
                // shown as unknown by the caller
            }
        }
        return statuses;
    }

    private HttpRequest.Builder request(GatewayLeaders.Leader leader, String pathAndQuery, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(leader.url() + pathAndQuery)).timeout(timeout)
                .header(FORWARDED_FROM, instanceId);
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private LeaderUnavailableException unreachable(String gateway, GatewayLeaders.Leader leader, Exception e) {
        return new LeaderUnavailableException(LeaderUnavailableException.LEADER_UNREACHABLE, "the leader of gateway "
                + gateway + ", instance " + leader.instanceId() + " at " + leader.url() + ", does not answer ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); if it has ended, "
                + "another instance takes the gateway over within " + leaders.settings().leaseMs() + " ms");
    }
}
