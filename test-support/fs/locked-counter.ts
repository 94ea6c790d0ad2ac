import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { withFileLock } from "@/lib/fs/file-lock";

// A child process for lib/fs/file-lock.test.ts: adds 1 to the number in a file, `times` times,
// each a slow read-modify-write under the lock (without it, two of these lose updates).
const [file, times] = process.argv.slice(2);
for (let i = 0; i < Number(times); i++) {
  await withFileLock(
    file!,
    async () => {
      const now = Number(fs.existsSync(file!) ? fs.readFileSync(file!, "utf8") : "0");
      await sleep(5);
      fs.writeFileSync(file!, String(now + 1));
    },
    { what: "the counter", waitMs: 60_000 },
  );
}
