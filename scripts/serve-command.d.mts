// Types for serve-command.mjs, which stays plain JavaScript: `npm start` runs it before packages (tsx) are installed.
export interface ServeCommand {
  args: string[];
  url: string;
  loopbackOnly: boolean;
}
export function serveCommand(options: { dev: boolean; env: Record<string, string | undefined> }): ServeCommand;
