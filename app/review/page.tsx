import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { ROUTES } from "@/agents/routes/registry";
import { ReviewApp } from "./_components/review-app";
import { RoutesProvider } from "./_components/routes-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Review dataset candidates: ACME Assistant" };

/** Dataset review: open only when the server has an ADMIN_TOKEN; the API checks the token on every call. */
export default function ReviewPage() {
  const enabled = Boolean(getConfig().curation.adminToken);
  return (
    <main className="page review-page">
      <header className="page-header">
        <h1>Review dataset candidates</h1>
        <p>
          Traces proposed by <code>npm run curate</code>, and unreviewed synthetic examples. Accepted items go to{" "}
          <code>evals/datasets</code>, with their trace.
        </p>
      </header>
      {enabled ? (
        <RoutesProvider routes={ROUTES}>
          <ReviewApp />
        </RoutesProvider>
      ) : (
        <section className="review-refused" role="alert">
          <h2>Review is disabled on this server</h2>
          <p>
            Set <code>ADMIN_TOKEN</code> (16 characters or more) in the server&apos;s environment and restart it to review candidates.
          </p>
        </section>
      )}
    </main>
  );
}
