import fs from "node:fs";
import path from "node:path";

/** Test helper: writes a small markdown corpus with frontmatter into `dir`. */
export interface TestDoc {
  id: string;
  title: string;
  topic: string;
  body: string;
  updated?: string;
}

export function writeTestDoc(dir: string, doc: TestDoc): void {
  fs.mkdirSync(dir, { recursive: true });
  const fm = `---\nid: ${doc.id}\ntitle: "${doc.title}"\ntopic: ${doc.topic}\nupdated: ${doc.updated ?? "2024-05-01"}\n---\n`;
  fs.writeFileSync(path.join(dir, `${doc.id}.md`), fm + doc.body);
}

export const TEST_DOCS: TestDoc[] = [
  {
    id: "refund-policy",
    title: "Refund policy",
    topic: "billing",
    body:
      "# Refunds\n\nCustomers can request a full refund within 30 days of purchase. Refunds are paid back to the original payment method within five business days.\n\n" +
      "## Exceptions\n\nGift cards and custom orders cannot be refunded. Shipping fees are refunded only when the item arrived damaged.\n",
  },
  {
    id: "password-reset",
    title: "Resetting your password",
    topic: "account",
    body:
      "# Password reset\n\nOpen the sign-in page and choose 'Forgot password'. We email a reset link that expires after one hour.\n\n" +
      "If the email does not arrive, check the spam folder or contact support to verify your identity.\n",
  },
  {
    id: "shipping-times",
    title: "Shipping times",
    topic: "shipping",
    body:
      "# Shipping\n\nStandard shipping takes three to five business days inside the country. Express shipping arrives the next business day when ordered before noon.\n\n" +
      "International parcels take two to three weeks and may be held at customs.\n",
  },
  {
    id: "api-rate-limits",
    title: "API rate limits",
    topic: "developers",
    body:
      "# Rate limits\n\nThe public API allows 100 requests per minute per key. Requests over the limit get HTTP 429 with a Retry-After header.\n\n" +
      "Batch endpoints count each item as one request. Contact sales for higher limits.\n",
  },
];
