// The model the conformance tests chat with (RealGateway.startWithMockModel, scripts/openclaw-gateway.sh --mock-llm).
// Tiny OpenAI-compatible chat-completions mock on loopback (streams canned text).
import http from "node:http";
import fs from "node:fs";
const PORT = Number(process.env.MOCK_PORT || 18790);
const LOG = (process.env.OC || "OCROOT") + "/mock-llm.log";
http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", async () => {
    fs.appendFileSync(LOG, `${new Date().toISOString()} ${req.method} ${req.url} ${body.length}b\n`);
    if (req.method === "GET" && req.url.endsWith("/models")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ object: "list", data: [{ id: "mock-1", object: "model", owned_by: "mock" }] }));
    }
    if (!req.url.endsWith("/chat/completions")) { res.writeHead(404); return res.end("nf"); }
    let j = {}; try { j = JSON.parse(body); } catch {}
    const lastUser = [...(j.messages || [])].reverse().find((m) => m.role === "user");
    const text = JSON.stringify(lastUser?.content ?? "");
    const slow = body.includes("ABORTME");
    const words = slow ? Array.from({ length: 40 }, (_, i) => `word${i} `) : ["Hello ", "from ", "the ", "mock ", "model."];
    const base = { id: "chatcmpl-mock", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: "mock-1" };
    if (!j.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: words.join("") }, finish_reason: "stop" }], usage: { prompt_tokens: 10, completion_tokens: words.length, total_tokens: 10 + words.length } }));
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let closed = false; res.on("close", () => { if (!res.writableEnded) closed = true; });
    for (let i = 0; i < words.length && !closed; i++) {
      const delta = i === 0 ? { role: "assistant", content: words[i] } : { content: words[i] };
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
      await new Promise((r) => setTimeout(r, slow ? 300 : 150));
    }
    if (closed) return;
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 10, completion_tokens: words.length, total_tokens: 10 + words.length } })}\n\n`);
    res.write("data: [DONE]\n\n");
    res.end();
  });
}).listen(PORT, "127.0.0.1", () => console.log("mock llm on", PORT));
