import type { AlertStateRecord } from "../telemetry/trace-log/alert-state-store";
import type { AlertStore } from "../telemetry/trace-log/trace-store";
import type { TraceReader } from "../telemetry/trace-log/trace-reader";
import { evaluateRule, type AlertTransition } from "./alert-evaluator";
import { ruleLookbackMs, type AlertRule } from "./alert-rules";
import { loadAlertRules } from "./load-alert-rules";
import { readRequests } from "./read-requests";
import { RequestHistory } from "./request-history";
import { windowEndAtOrBefore } from "./replay";
import { ruleWindowSamples } from "./rule-windows";

/**
 * The alert rules evaluated inside the server, off the request path: an unref'd timer, ticks
 * that never overlap, and nothing thrown out of a tick (a failure is one warning). Each tick
 * evaluates the windows that ended since the last one — the same epoch-aligned windows as a
 * backtest — moves the stored state with a compare-and-set and hands each transition this
 * process won (`claimTransition`) to `notify`. A bad rules file stops the evaluator with its
 * file:line message; the chat never notices.
 */

export interface AlertSchedulerOptions {
  rulesPath: string;
  intervalMs: number;
  reader: TraceReader;
  store: Pick<AlertStore, "states" | "save" | "claimTransition">;
  /** Called once per claimed transition that notifies (firing, resolved, escalated, renotify). */
  notify?: (transition: AlertTransition) => void;
  warn?: (message: string) => void;
  now?: () => number;
}

export interface AlertScheduler {
  /** Evaluates what is due now; resolves to the transitions this process claimed. */
  tick(): Promise<AlertTransition[]>;
  stop(): void;
}

/** The server log line of a transition (until notification channels arrive). */
export function logTransition(t: AlertTransition): void {
  const what = t.kind === "status" ? t.to.toUpperCase() : t.kind.toUpperCase();
  console.warn(
    `[alerts] ${what} ${t.rule} ${t.groupKey} (${t.severity}${t.level ? `, ${t.level}` : ""}): ${t.detail}; runbook ${t.runbook}`,
  );
}

/** Evaluates every rule whose latest window has not been evaluated yet; returns the transitions claimed. */
export async function evaluateDueRules(
  rules: readonly AlertRule[],
  options: Omit<AlertSchedulerOptions, "rulesPath" | "intervalMs">,
  now: number,
) {
  const stored = new Map<string, Map<string, AlertStateRecord>>();
  for (const state of await options.store.states()) {
    const byGroup = stored.get(state.rule) ?? new Map<string, AlertStateRecord>();
    stored.set(state.rule, byGroup.set(state.groupKey, state));
  }
  const due = rules
    .map((rule) => ({
      rule,
      end: windowEndAtOrBefore(rule.window, now),
      states: stored.get(rule.name) ?? new Map<string, AlertStateRecord>(),
    }))
    .filter(({ end, states }) => states.size === 0 || [...states.values()].some((s) => s.lastEvalMs < end));
  if (due.length === 0) return [];
  const from = Math.min(...due.map(({ rule, end }) => end - ruleLookbackMs(rule)));
  const history = new RequestHistory(await readRequests(options.reader, from, Math.max(...due.map((d) => d.end))));
  const claimed: AlertTransition[] = [];
  for (const { rule, end, states } of due) {
    const result = evaluateRule(rule, states, ruleWindowSamples(rule, history, end), end);
    for (const next of result.states) {
      const transition = result.transitions.find((t) => t.groupKey === next.groupKey);
      if (transition) {
        if (await options.store.claimTransition(transition, next)) claimed.push(transition);
      } else if (next !== states.get(next.groupKey)) {
        // False when another process saved this window first: its state is as good as ours.
        await options.store.save(next);
      }
    }
  }
  return claimed;
}

export function startAlertScheduler(options: AlertSchedulerOptions): AlertScheduler {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const notify = options.notify ?? logTransition;
  const now = options.now ?? Date.now;
  let rules: AlertRule[] = [];
  try {
    rules = loadAlertRules(options.rulesPath);
  } catch (error) {
    warn(`[alerts] evaluator not started: ${error instanceof Error ? error.message : String(error)}`);
    return { tick: () => Promise.resolve([]), stop: () => undefined };
  }
  let running: Promise<AlertTransition[]> | undefined;
  const tick = (): Promise<AlertTransition[]> => {
    running ??= evaluateDueRules(rules, options, now())
      .then((claimed) => {
        for (const transition of claimed.filter((t) => t.notify)) {
          try {
            notify(transition);
          } catch (error) {
            warn(`[alerts] notifying ${transition.rule} failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        return claimed;
      })
      .catch((error: unknown) => {
        warn(`[alerts] evaluation failed (retried next interval): ${error instanceof Error ? error.message : String(error)}`);
        return [];
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  // Never keeps the process alive: a server shutting down does not wait for the next evaluation.
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
