package io.controlcenter.fleet;

/** An agent of a gateway: the card last pushed is kept per agent key. */
record AgentKey(String gateway, String agentId) {
}
