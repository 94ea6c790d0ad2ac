import fs from "node:fs";
import path from "node:path";
import { chatRequestSchema } from "@/agents/contract";
import { seededRandom } from "@/lib/math/seeded-random";
import { MAX_BODY_BYTES } from "@/lib/http/read-body-text";
import { negotiateResponseMode } from "@/lib/http/responses";

/** One hostile request: any method, path, headers and body bytes. */
export interface FuzzCase {
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What was done to it, for the report. */
  kind: string;
}

/** An API route of the app: its path and the methods its route.ts exports. */
export interface ApiRoute {
  path: string;
  methods: string[];
}

/** Every `app/api/**\/route.ts`, so a route added later is fuzzed without anyone remembering to. */
export function discoverApiRoutes(root = process.cwd()): ApiRoute[] {
  const apiDir = path.join(root, "app", "api");
  const files = (fs.readdirSync(apiDir, { recursive: true }) as string[]).filter((file) => path.basename(file) === "route.ts");
  return files.sort().map((file) => ({
    path: `/api/${path.dirname(file).split(path.sep).join("/")}`,
    methods: [
      ...fs.readFileSync(path.join(apiDir, file), "utf8").matchAll(/export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b/g),
    ].map((m) => m[1]!),
  }));
}

const HEX32 = "0123456789abcdef0123456789abcdef";
/** A body each route would accept (or nearly), for the mutations to start from. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  "/api/chat": { message: "How long do I have to return a product?" },
  "/api/feedback": { traceId: HEX32, score: 1, comment: "thanks" },
  "/api/review/decisions": { target: "production", traceId: HEX32, decision: "reject" },
};

const ODD_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "PURGE", "BREW"];
const CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "application/jsonx",
  "",
  "APPLICATION/JSON",
];
const ACCEPTS = [
  "text/event-stream",
  "application/json",
  "text/html",
  "image/png",
  "text/event-stream;q=0, application/json",
  "application/xml",
  ",,,",
  "*/*",
];
const UNICODE = [
  "\u202e\u0645\u0631\u062d\u0628\u0627 RTL override",
  "zero\u200bwidth\u200djoiner\ufeff",
  "emoji 🧨💥🔥👩‍👩‍👧‍👦🏳️‍🌈",
  "combining e\u0301\u0301\u0301\u0301\u0301 z\u0336\u0336",
  "lone surrogate \ud800 and \udfff",
  "nul \u0000 byte and \u0007 bell",
  "𝕮𝖍𝖆𝖔𝖘 𝔪𝔞𝔱𝔥 ∑∫∂√∞",
  "中文问题：退货政策是什么？",
  "\r\n\r\nHTTP/1.1 200 OK\r\n",
  "'; DROP TABLE spans; --",
  "{{7*7}} ${7*7} <script>alert(1)</script>",
];
const WRONG_VALUES: unknown[] = [null, 0, -1, 1e308, true, [], {}, [1, 2], { nested: { deep: true } }, "", " ", "x".repeat(10_000)];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** A body as bytes, and what was done to it. */
function fuzzBody(random: Random, template: Record<string, unknown>): { body: Buffer; kind: string } {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const field = pick(random, Object.keys(template).length > 0 ? Object.keys(template) : ["field"]);
  const mutations: [string, () => Buffer][] = [
    ["template", () => json(template)],
    ["wrong type", () => json({ ...template, [field]: pick(random, WRONG_VALUES) })],
    ["missing field", () => json(Object.fromEntries(Object.entries(template).filter(([key]) => key !== field)))],
    ["extra field", () => json({ ...template, extra: pick(random, WRONG_VALUES) })],
    [
      "prototype keys",
      () => Buffer.from(`{"__proto__":{"admin":true},"constructor":{"prototype":{}},${JSON.stringify(template).slice(1)}`),
    ],
    ["unicode", () => json({ ...template, [field]: pick(random, UNICODE) })],
    [
      "malformed JSON",
      () =>
        Buffer.from(pick(random, ["{", '{"message": }', "{'message': 'x'}", '{"a":1,}', "NaN", "\ufeff{}", "}{", '"unterminated', "[1,2"])),
    ],
    ["not an object", () => Buffer.from(pick(random, ["null", "1", '"text"', "[]", "true", "1e999"]))],
    ["empty body", () => Buffer.alloc(0)],
    ["binary garbage", () => Buffer.from(Array.from({ length: 64 + Math.floor(random() * 512) }, () => Math.floor(random() * 256)))],
    [
      "invalid UTF-8",
      () => Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    ],
    ["deep nesting", () => Buffer.from(`${"[".repeat(5_000)}${"]".repeat(5_000)}`)],
    ["just over the body limit", () => json({ ...template, [field]: "x".repeat(MAX_BODY_BYTES) })],
    ["huge body (2 MB)", () => json({ ...template, [field]: "y".repeat(2 * 1024 * 1024) })],
  ];
  // The huge bodies are the expensive ones: a few of each is enough.
  const weights = mutations.map(([kind]) => (kind.startsWith("huge") ? 0.2 : kind.startsWith("just over") ? 0.5 : 1));
  let draw = random() * weights.reduce((a, b) => a + b, 0);
  const index = weights.findIndex((w) => (draw -= w) < 0);
  const [kind, make] = mutations[index === -1 ? 0 : index]!;
  return { body: make(), kind };
}

function fuzzHeaders(random: Random, route: string, adminToken: string): { headers: Record<string, string>; kind?: string } {
  const headers: Record<string, string> = { "content-type": random() < 0.75 ? "application/json" : pick(random, CONTENT_TYPES) };
  if (random() < 0.6) headers.accept = pick(random, ACCEPTS);
  const authorizations = [
    `Bearer ${adminToken}`,
    "Bearer wrong-token-0123456789",
    "Bearer",
    "Basic YWRtaW46YWRtaW4=",
    `Bearer ${"t".repeat(9_000)}`,
    "Bearer \xff\xfe\xfd",
  ];
  // The public routes get the odd header; the admin ones (review, health's detail, metrics, monitor) mostly some token.
  const isPublic = route === "/api/chat" || route === "/api/feedback";
  if (random() < (isPublic ? 0.15 : 0.7)) headers.authorization = pick(random, authorizations);
  const roll = random();
  if (roll < 0.04) return { headers: { ...headers, "x-junk": "z".repeat(20_000) }, kind: "20 KB header" };
  if (roll < 0.08) return { headers: { ...headers, "content-length": String(50 * 1024 * 1024) }, kind: "declares 50 MB" };
  if (roll < 0.12)
    return { headers: { ...headers, cookie: "a=\t; b=\xff\xfe; ".repeat(50), "x-forwarded-for": "999.1.1.1, ::zz" }, kind: "odd headers" };
  return { headers };
}

/** Percent-encoded UTF-8; a lone surrogate has none, so it goes as the bytes a sloppy encoder would send. */
function queryValue(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80";
  }
}

function fuzzPath(random: Random, route: string): string {
  if (random() >= 0.1) return route;
  return pick(random, [
    `${route}?q=${queryValue(pick(random, UNICODE))}`,
    `${route}/`,
    `${route}/extra/segments`,
    `${route}%00`,
    `${route}/..%2f..%2fetc%2fpasswd`,
    `${route.toUpperCase()}`,
    `${route}?${"a=1&".repeat(2_000)}`,
  ]);
}

/** Whether the chat route would run a real turn for this request: the fuzzer never means to (the model is slow). */
function couldRunTurn(c: FuzzCase): boolean {
  if (c.route !== "/api/chat" || c.method !== "POST" || c.path !== "/api/chat") return false;
  if (!/^application\/json\b/i.test(c.headers["content-type"] ?? "") || c.headers["content-length"]) return false;
  try {
    negotiateResponseMode(c.headers.accept ?? null);
    return chatRequestSchema.safeParse(JSON.parse(c.body?.toString("utf8") ?? "")).success;
  } catch {
    return false;
  }
}

/** `count` hostile requests over `routes`, the same ones for the same seed. */
export function fuzzCases(routes: readonly ApiRoute[], count: number, seed: number, adminToken: string): FuzzCase[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const route = routes[i % routes.length]!;
    const method = random() < 0.7 && route.methods.length > 0 ? pick(random, route.methods) : pick(random, ODD_METHODS);
    const { headers, kind: headerKind } = fuzzHeaders(random, route.path, adminToken);
    const withBody = method !== "GET" && method !== "HEAD";
    const { body, kind } = withBody ? fuzzBody(random, TEMPLATES[route.path] ?? {}) : { body: undefined, kind: "no body" };
    const c: FuzzCase = {
      route: route.path,
      method,
      path: fuzzPath(random, route.path),
      headers,
      ...(body ? { body } : {}),
      kind: headerKind ?? kind,
    };
    // Keep the case hostile: an unknown field makes the chat body invalid (the schema is strict).
    if (couldRunTurn(c))
      return {
        ...c,
        body: Buffer.from(JSON.stringify({ ...JSON.parse(c.body!.toString("utf8")), unexpected: 1 })),
        kind: `${c.kind}, unknown field`,
      };
    return c;
  });
}
