"""autocoder's local model server: an OpenAI-compatible /v1 for one GGUF model on cyllama (llama.cpp, prebuilt).

Usage: python local_model_server.py --model PATH --port N [--n_ctx N] [--n_threads N] [--name NAME]

It serves GET /v1/models and POST /v1/chat/completions (streaming as server-sent events, or one JSON reply), with
the model's own chat template, max_tokens, temperature, top_p, seed, stop and repeat_penalty (default 1.1), and
real token counts in `usage`.
It listens on 127.0.0.1 only and generates one reply at a time: a streaming request that waits for its turn gets its
response head at once and a comment line every few seconds, so the client's timeouts measure the server's silence,
not the queue. It exits as soon as its standard input closes, which happens when autocoder ends in any way.
"""

import argparse
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--n_ctx", type=int, default=4096)
    parser.add_argument("--n_threads", type=int, default=max(1, os.cpu_count() or 1))
    parser.add_argument("--name", default="local")
    args = parser.parse_args()
    threading.Thread(target=watch_stdin, daemon=True).start()

    from cyllama.api import LLM, GenerationConfig

    llm = LLM(args.model, verbose=False)
    llm._ensure_context(0, GenerationConfig(n_ctx=args.n_ctx)).set_n_threads(args.n_threads, args.n_threads)
    lock = threading.Lock()

    def count(text):
        return len(llm.vocab.tokenize(text, add_special=False, parse_special=True))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *values):
            sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), format % values))

        def send(self, status, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path.rstrip("/") == "/v1/models":
                self.send(200, {"object": "list", "data": [{"id": args.name, "object": "model"}]})
            else:
                self.send(404, {"error": {"message": "no such path: " + self.path}})

        def do_POST(self):
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self.send(404, {"error": {"message": "no such path: " + self.path}})
            try:
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                messages = [{"role": m["role"], "content": m["content"]} for m in request["messages"]]
            except (ValueError, KeyError, TypeError) as error:
                return self.send(400, {"error": {"message": "bad request: %s" % error}})
            prompt = llm._apply_template(messages, None)
            if os.environ.get("AUTOCODER_LOCAL_SERVER_DEBUG"):
                sys.stderr.write(prompt + "\n")
            prompt_tokens = count(prompt)
            room = args.n_ctx - prompt_tokens - 1
            if room <= 0:
                message = "the prompt has %d tokens; the context holds %d (context length exceeded)"
                return self.send(400, {"error": {"message": message % (prompt_tokens, args.n_ctx)}})
            max_tokens = min(int(request.get("max_tokens") or room), room)
            stop = request.get("stop") or []
            config = GenerationConfig(
                max_tokens=max_tokens,
                temperature=float(request.get("temperature", 0.8)),
                top_p=float(request.get("top_p", 0.95)),
                # llama-cpp-python's server default: without it the small model repeats itself to max_tokens.
                repeat_penalty=float(request.get("repeat_penalty", 1.1)),
                seed=int(request["seed"]) & 0xFFFFFFFF if request.get("seed") is not None else 0xFFFFFFFF,
                stop_sequences=[stop] if isinstance(stop, str) else list(stop),
                n_ctx=args.n_ctx,
            )
            ident = "chatcmpl-" + uuid.uuid4().hex
            sys.stderr.write("request: %d prompt tokens, max_tokens %d, temperature %s, seed %s, stream %s\n" % (
                prompt_tokens, max_tokens, config.temperature, request.get("seed"), bool(request.get("stream"))))
            started = time.time()
            if request.get("stream"):
                self.stream(ident, prompt, config, prompt_tokens, started)
                return
            with lock:
                text = str(llm(prompt, config=config))
            completion = count(text)
            log_reply(completion, started)
            self.send(200, {
                "id": ident, "object": "chat.completion", "model": args.name,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "length" if completion >= max_tokens else "stop"}],
                "usage": usage(prompt_tokens, completion),
            })

        def stream(self, ident, prompt, config, prompt_tokens, started):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

            def event(payload):
                data = ("data: %s\n\n" % (payload if isinstance(payload, str) else json.dumps(payload))).encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def chunk(delta, finish=None, extra=None):
                body = {"id": ident, "object": "chat.completion.chunk", "model": args.name,
                        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                body.update(extra or {})
                event(body)

            while not lock.acquire(timeout=5):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(b": queued\n\n"), b": queued\n\n"))
                self.wfile.flush()
            try:
                started = time.time()
                chunk({"role": "assistant", "content": ""})
                text = ""
                for piece in llm(prompt, config=config, stream=True):
                    text += piece
                    chunk({"content": piece})
            finally:
                lock.release()
            completion = count(text)
            log_reply(completion, started)
            finish = "length" if completion >= config.max_tokens else "stop"
            chunk({}, finish, {"usage": usage(prompt_tokens, completion)})
            event("[DONE]")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    def log_reply(completion, started):
        seconds = time.time() - started
        sys.stderr.write("reply: %d tokens in %.1f s\n" % (completion, seconds))
        sys.stderr.flush()

    def usage(prompt, completion):
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("serving %s on 127.0.0.1:%d" % (args.model, args.port), file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
