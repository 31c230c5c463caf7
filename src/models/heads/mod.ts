/**
 * Registers every head with the `heads` registry (one import per head file).
 * @module
 */
import "./softmax.ts";
import "./combined_margin.ts";
import "./sphereface.ts";
import "./mv_softmax.ts";
import "./curricularface.ts";
import "./adacos.ts";
import "./arcnegface.ts";
import "./npcface.ts";
import "./subcenter_arcface.ts";

export { heads } from "../registry.ts";
export { Head, type HeadOutput } from "./head.ts";
