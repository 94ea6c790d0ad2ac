import { describe, expect, it } from "vitest";
import { closePools } from "../postgres/pool";
import { PgReviewQueue } from "./pg-review-queue";
import { openReviewQueue } from "./review-queue-backend";
import { FileReviewQueue } from "./review-queue-store";

describe("openReviewQueue", () => {
  it("is the JSONL file without DATABASE_URL", () => {
    const queue = openReviewQueue({}, "/tmp/queue.jsonl");
    expect(queue).toBeInstanceOf(FileReviewQueue);
    expect(queue.location).toBe("/tmp/queue.jsonl");
  });

  it("is PostgreSQL with DATABASE_URL, named without the password; an unreachable one is database_unavailable", async () => {
    const database = { url: "postgresql://app:s3cret@127.0.0.1:1/rag", poolMax: 1, connectTimeoutMs: 200 };
    const queue = openReviewQueue({ database }, "/tmp/unused.jsonl");
    expect(queue).toBeInstanceOf(PgReviewQueue);
    expect(queue.location).toBe("postgresql://app:***@127.0.0.1:1/rag");
    await expect(queue.list()).rejects.toMatchObject({ code: "database_unavailable" });
    await closePools();
  });
});
