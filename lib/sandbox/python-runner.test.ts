import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectPythonIsolation, runPython } from "./python-runner";

// Hostile inputs for the Python process sandbox: each must end in a clear error, never hang the
// test, never leave a file outside the sandbox's temp dir.
describe("runPython", () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "pysandbox-outside-"));
  afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));

  it("runs a program and returns its output", async () => {
    const result = await runPython("print(sum(range(10)))");
    expect(result.ok).toBe(true);
    expect(result.stdout.trim()).toBe("45");
    expect(result.isolation.interpreter).toMatch(/python/);
  });

  it("passes a canonical solution and fails a wrong one against their tests", async () => {
    const tests = "\ndef check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n\ncheck(add)\n";
    const good = await runPython(`def add(a, b):\n    return a + b\n${tests}`);
    const bad = await runPython(`def add(a, b):\n    return a - b\n${tests}`);
    expect(good.ok).toBe(true);
    expect(bad.ok).toBe(false);
    expect(bad.error?.code).toBe("tool_failed");
    expect(bad.stderr).toContain("AssertionError");
  });

  it("kills an endless loop at the wall-clock limit", async () => {
    const started = Date.now();
    const result = await runPython("while True:\n    pass\n", { timeoutMs: 700 });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("tool_timeout");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("stops a memory bomb at the address-space limit", async () => {
    const result = await runPython("blocks = []\nwhile True:\n    blocks.append(bytearray(50 * 1024 * 1024))\n", {
      memoryMb: 256,
      timeoutMs: 5000,
    });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("tool_resource_limit");
  });

  it("cannot fork or spawn a process", async () => {
    const fork = await runPython("import os\npid = os.fork()\nprint('forked', pid)\n");
    expect(fork.ok).toBe(false);
    expect(fork.stdout).not.toContain("forked");
    const spawn = await runPython("import subprocess\nsubprocess.run(['sh', '-c', 'echo escaped'])\n");
    expect(spawn.ok).toBe(false);
    expect(spawn.stdout).not.toContain("escaped");
    const system = await runPython("import os\nos.system('echo escaped')\n");
    expect(system.ok).toBe(false);
    expect(system.stdout).not.toContain("escaped");
  });

  it("cannot write, delete or rename outside its temp dir", async () => {
    const target = path.join(outside, "pwned.txt");
    const keep = path.join(outside, "keep.txt");
    fs.writeFileSync(keep, "precious");
    const write = await runPython(`open(${JSON.stringify(target)}, "w").write("x")\n`);
    expect(write.ok).toBe(false);
    expect(fs.existsSync(target)).toBe(false);
    const remove = await runPython(`import os\nos.remove(${JSON.stringify(keep)})\n`);
    expect(remove.ok).toBe(false);
    expect(fs.readFileSync(keep, "utf8")).toBe("precious");
    const relative = await runPython(`open("../${path.basename(outside)}/pwned.txt", "w").write("x")\n`);
    expect(relative.ok).toBe(false);
    expect(fs.existsSync(target)).toBe(false);
    // Inside its own directory it may write small files.
    const inside = await runPython('open("scratch.txt", "w").write("ok")\nprint(open("scratch.txt").read())\n');
    expect(inside.stdout.trim()).toBe("ok");
  });

  it("caps output and file size", async () => {
    const flood = await runPython("while True:\n    print('x' * 1000)\n", { maxOutputBytes: 4096 });
    expect(flood.error?.code).toBe("tool_resource_limit");
    expect(flood.truncated).toBe(true);
    expect(flood.stdout.length).toBeLessThanOrEqual(4096);
    const big = await runPython('open("big.bin", "wb").write(b"x" * (4 * 1024 * 1024))\n', { fileSizeBytes: 1024 * 1024 });
    expect(big.ok).toBe(false);
    expect(big.error?.code).toBe("tool_resource_limit");
  });

  it("has no network (namespace when the machine allows it, the audit hook otherwise) and an empty environment", async () => {
    const net = await runPython("import socket\ns = socket.create_connection(('1.1.1.1', 80), timeout=2)\nprint('connected')\n");
    expect(net.ok).toBe(false);
    expect(net.stdout).not.toContain("connected");
    const env = await runPython("import os\nprint(sorted(k for k in os.environ if k not in ('LC_CTYPE',)))\n");
    expect(env.stdout.trim()).toBe("[]");
    expect(["namespace", "none"]).toContain(detectPythonIsolation().network);
  });

  it("cannot reach the audit hook's state to switch it off", async () => {
    const target = path.join(outside, "escaped.txt");
    // The escape a review found: rewrite the preamble's globals through sys.modules["__main__"].
    const viaModule = await runPython(
      [
        "import sys",
        'm = sys.modules["__main__"]',
        "for name in list(vars(m)):",
        '    if name.startswith("_"): setattr(m, name, frozenset() if name.startswith("_BLOCKED") else (lambda *a: True))',
        "import socket, ctypes",
        `open(${JSON.stringify(target)}, "w").write("x")`,
        'print("escaped")',
      ].join("\n"),
    );
    expect(viaModule.stdout).not.toContain("escaped");
    expect(fs.existsSync(target)).toBe(false);
    // The hook's own frame, through a traceback or sys._getframe; every object, through gc.
    for (const reach of [
      `try:\n    open(${JSON.stringify(target)}, "w")\nexcept PermissionError as e:\n    print(e.__traceback__.tb_frame.f_locals)\n    print("escaped")`,
      'import sys\nprint(sys._getframe(0).f_back)\nprint("escaped")',
      'import gc\nprint(len(gc.get_objects()))\nprint("escaped")',
    ]) {
      const result = await runPython(reach);
      expect(result.stdout, reach).not.toContain("escaped");
      expect(result.ok, reach).toBe(false);
    }
  });
});
