"use client";

import { useState } from "react";
import { idsOf, linesOf } from "./review-types";
import { useRoutes } from "./routes-context";
import type { Decision, OnDecide } from "./use-review-api";

interface ExpectationDraft {
  message: string;
  route: string;
  answer: string;
  facts: string;
  docIds: string;
}

/** What a trace suggests, or a synthetic item states, is expected of the question. */
type Expected = { route?: string | null; answer?: string; facts?: string[]; docIds?: string[] };

/** The form's starting point: a question and what is expected of it. */
function draftFrom(message: string, expected: Expected): ExpectationDraft {
  return {
    message,
    route: expected.route ?? "knowledge_base_search",
    answer: expected.answer ?? "",
    facts: (expected.facts ?? []).join("\n"),
    docIds: (expected.docIds ?? []).join(", "),
  };
}

/** The decision body's edits: the expectation, and the question only when the reviewer changed it. */
function acceptEdits(original: string, value: { message: string; expected: Record<string, unknown> }) {
  return { expected: value.expected, ...(value.message !== original ? { message: value.message } : {}) };
}

/** The reviewer's version of the item: question, route, answer, facts and doc ids, prefilled from the trace. */
function ExpectationForm({
  initial,
  onAccept,
  onReject,
}: {
  initial: ExpectationDraft;
  onAccept: (value: { message: string; expected: Record<string, unknown> }) => void;
  onReject: () => void;
}) {
  const routes = useRoutes();
  const [draft, setDraft] = useState(initial);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof ExpectationDraft) => (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value });
  const run = (fn: () => void) => {
    setBusy(true);
    fn();
  };
  const facts = linesOf(draft.facts);
  const docIds = idsOf(draft.docIds);
  const expected = {
    route: draft.route,
    ...(draft.answer.trim() ? { answer: draft.answer.trim() } : {}),
    ...(facts.length ? { facts } : {}),
    ...(docIds.length ? { docIds } : {}),
  };
  return (
    <form className="expectation" onSubmit={(event) => event.preventDefault()}>
      <label>
        Question <input name="message" value={draft.message} onChange={set("message")} />
      </label>
      <label>
        Expected route
        <select name="route" value={draft.route} onChange={set("route")}>
          {routes.map((route) => (
            <option key={route} value={route}>
              {route}
            </option>
          ))}
        </select>
      </label>
      <label>
        Expected answer <textarea name="answer" rows={2} value={draft.answer} onChange={set("answer")} />
      </label>
      <label>
        Facts the answer must contain (one per line) <textarea name="facts" rows={2} value={draft.facts} onChange={set("facts")} />
      </label>
      <label>
        Expected doc ids <input name="docIds" value={draft.docIds} onChange={set("docIds")} />
      </label>
      <div className="decide">
        <button
          type="button"
          className="accept"
          disabled={busy}
          onClick={() => run(() => onAccept({ message: draft.message.trim(), expected }))}
        >
          Accept
        </button>
        <button type="button" className="reject" disabled={busy} onClick={() => run(onReject)}>
          Reject
        </button>
      </div>
    </form>
  );
}

/**
 * The form as a decision on one item (`target`: a production trace or a synthetic example):
 * accept with the reviewer's edits, or reject.
 */
export function DecisionForm({
  message,
  expected,
  target,
  onDecide,
}: {
  message: string;
  expected: Expected;
  target: Decision;
  onDecide: OnDecide;
}) {
  return (
    <ExpectationForm
      initial={draftFrom(message, expected)}
      onAccept={(value) => void onDecide({ ...target, decision: "accept", ...acceptEdits(message, value) }, `Accepted: ${message}`)}
      onReject={() => void onDecide({ ...target, decision: "reject" }, `Rejected: ${message}`)}
    />
  );
}
