package io.controlcenter.fleet;

/** A session of a gateway: a batch keeps one row per session key (the newest). */
record SessionKey(String gateway, String key) {
}
