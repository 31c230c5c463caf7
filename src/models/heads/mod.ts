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
import "./adam_softmax.ts";
import "./circle_loss.ts";
import "./magface.ts";
import "./center_loss.ts";
import "./triplet.ts";

export { heads } from "../registry.ts";
export { Head, headObjective, type HeadOutput } from "./head.ts";
