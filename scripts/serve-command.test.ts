import { describe, expect, it } from "vitest";
import { serveCommand } from "./serve-command.mjs";

describe("serveCommand", () => {
  it("binds loopback by default, for the production build and the dev server", () => {
    expect(serveCommand({ dev: false, env: {} })).toEqual({
      args: ["next", "start", "-H", "127.0.0.1", "-p", "3000"],
      url: "http://127.0.0.1:3000",
      loopbackOnly: true,
    });
    expect(serveCommand({ dev: true, env: {} }).args).toEqual(["next", "dev", "-H", "127.0.0.1", "-p", "3000"]);
  });

  it("exposes the app only when HOST says so", () => {
    const everywhere = serveCommand({ dev: false, env: { HOST: "0.0.0.0", PORT: "8080" } });
    expect(everywhere.args).toEqual(["next", "start", "-H", "0.0.0.0", "-p", "8080"]);
    expect(everywhere.loopbackOnly).toBe(false);
    expect(serveCommand({ dev: false, env: { HOST: "::" } }).url).toBe("http://[::]:3000");
  });
});
