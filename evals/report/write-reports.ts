import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EvalRunResult } from "../runner/types";
import { renderHtmlReport } from "./html-report";
import { renderJUnitXml } from "./junit-report";

/** The files `npm run eval` leaves behind for people (HTML), machines (JSON) and CI (JUnit). */

export const REPORT_FILES = {
  json: "eval-result.json",
  html: "eval-report.html",
  junit: "junit.xml",
} as const;

export interface WrittenReports {
  json: string;
  html: string;
  junit: string;
}

/**
 * Temp file + rename: a CI step that uploads the reports while a run is being killed sees either
 * the old file or the new one, never half of one.
 */
async function writeAtomically(target: string, content: string): Promise<void> {
  const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, content, "utf8");
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes the three reports into `dir` (created if missing) and returns their paths. */
export async function writeReports(result: EvalRunResult, dir: string): Promise<WrittenReports> {
  await mkdir(dir, { recursive: true });
  const paths: WrittenReports = {
    json: path.join(dir, REPORT_FILES.json),
    html: path.join(dir, REPORT_FILES.html),
    junit: path.join(dir, REPORT_FILES.junit),
  };
  // The JSON file is the result object itself, so later tools can re-render any report from it.
  await writeAtomically(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  await writeAtomically(paths.html, renderHtmlReport(result));
  await writeAtomically(paths.junit, renderJUnitXml(result));
  return paths;
}
