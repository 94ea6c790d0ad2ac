// The starter lives in lib/ (npm run chaos uses it too); tests keep importing it from here.
export { startProductionServer, type ProductionServer as RunningServer } from "@/lib/process/production-server";
