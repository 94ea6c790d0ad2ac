// The helper lives in lib/ (npm run chaos uses it too); tests keep importing it from here.
export { freePort } from "@/lib/process/free-port";
