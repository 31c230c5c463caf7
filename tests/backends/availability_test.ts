/**
 * One test per backend under test (and WebGPU, whose own tests always register) that says whether it can run on
 * this machine: where it cannot, its tests are registered as ignored, and under CI=true this test fails the run.
 * @module
 */
import { backendCases, registerAvailabilityTests, WEBGPU_CASE } from "../_util/backends.ts";

await registerAvailabilityTests([...new Set([...backendCases(), WEBGPU_CASE])]);
