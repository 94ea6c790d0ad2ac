import { ASSERT_SOURCE } from "./prelude/assert";
import { CONSOLE_SOURCE } from "./prelude/console";
import { DISPATCHER_SOURCE } from "./prelude/dispatcher";
import { INSPECT_SOURCE } from "./prelude/inspect";
import { INTRINSICS_SOURCE } from "./prelude/intrinsics";

/**
 * The JavaScript that runs *inside* the sandbox isolate before the agent's code, as the body of
 * a closure (`context.evalClosure`). It is plain ES2022 in a string on purpose: it must not be
 * transpiled, and nothing from the host may leak into it.
 *
 * Arguments from the host:
 *   $0  host log callback `(text: string) => boolean` (a sync `ivm.Callback`; `false` = output full)
 *   $1  max characters of one console chunk handed to the host
 *   $2  max characters of a formatted value (completion value, values in messages)
 *   $3  max characters of an error or assertion message
 *   $4  a random identifier prefix, unguessable by the code, for the temporary capture hook
 *
 * It installs `console` and `assert` as globals, removes a few globals that only widen the attack
 * surface, and returns one dispatcher function `(command, source) => string`. The dispatcher
 * catches everything the agent's code throws *inside* the isolate and always returns a small JSON
 * envelope string (capped with builtins captured before any agent code ran), so no value the code
 * controls (thrown objects, getters, proxies, huge strings) ever crosses into the host.
 *
 * Commands:
 *   "code"   run the agent's code as a global-scope script (indirect eval); capture a tester
 *            closure so tests see its top-level `const`/`let`/`class` bindings.
 *   "test"   evaluate one test inside that closure (direct eval).
 *   "settle" report the state of a promise returned by the last "code"/"test" command (microtasks
 *            have run in between, and the sandbox has no timers or I/O, so pending means never).
 *
 * Envelope: {"status":"ok","value"?:string,"undefined"?:true,"truncated"?:true}
 *         | {"status":"error","name":string,"message":string}
 *         | {"status":"pending"}
 *
 * The source comes in five parts, one file each under `./prelude/`, concatenated in this order
 * into one closure body (so later parts use the names earlier ones define).
 */
export const PRELUDE_SOURCE = [INTRINSICS_SOURCE, INSPECT_SOURCE, CONSOLE_SOURCE, ASSERT_SOURCE, DISPATCHER_SOURCE].join("\n");
