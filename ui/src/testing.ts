// Helpers for component tests: a mocked backend with a small shop in it.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { render } from "preact";
import { afterEach, beforeEach } from "vitest";
import type { JobEvent, OrdersSummary, Overview } from "./bindings";

export const emptyOverview: Overview = {
  listings: 0, variants: 0, images: 0, orders: 0, order_lines: 0, customers: 0, photos: 0,
};

export const emptySummary: OrdersSummary = {
  orders: 0, order_lines: 0, customers: 0, repeat_customers: 0, countries: 0,
  first_order_at: null, last_order_at: null, revenue: [], top_countries: [],
};

export interface Backend {
  overview: Overview;
  calls: string[];
  /** The channel of the last job started, to send it events. */
  jobEvents: ((event: JobEvent) => void) | null;
  /** Answers of a test's own, by command, over the defaults below. */
  answers: Record<string, (args: unknown) => unknown>;
}

export function mockBackend(overrides: Partial<Overview> = {}): Backend {
  const backend: Backend = { overview: { ...emptyOverview, ...overrides }, calls: [], jobEvents: null, answers: {} };
  mockIPC((cmd, args) => {
    backend.calls.push(cmd);
    const own = backend.answers[cmd];
    if (own) return own(args);
    switch (cmd) {
      case "overview":
        return backend.overview;
      case "language":
        return "en";
      case "set_language":
        return (args as { code: string }).code;
      case "listings":
      case "photos":
      case "jobs":
      case "listing_translations":
        return [];
      case "orders_summary":
        return emptySummary;
      case "start_job": {
        const channel = (args as { onEvent: { onmessage: (event: JobEvent) => void } }).onEvent;
        backend.jobEvents = (event) => channel.onmessage(event);
        return 1;
      }
      case "cancel_job":
        return true;
      case "models":
        return [];
      case "first_run":
        return { show: false, machine: { memory_bytes: 8 * 2 ** 30, cores: 4, gpu: null } };
      case "device_status":
        return { choice: "cpu", using: "cpu", fallback: null, compiled: ["cpu"] };
      case "doctor":
        return {
          version: "0.1.0",
          data_dir: "/data",
          database: { path: "/data/tradewind.db", schema_version: 1, latest_schema_version: 1, size_bytes: 4096, journal_mode: "wal" },
          integrity_problems: [],
          cpu: { arch: "x86_64", avx2: true, fma: true, f16c: true, neon: false },
          devices: ["cpu"],
          kernels: { avx2: true, f16c: true, neon: false, quantized_kernels: "avx2", threads: 2 },
          models: [],
          counts: backend.overview,
          jobs: { total: 0, running: 0, interrupted: 0, failed: 0 },
        };
      default:
        throw { kind: "unknown", message: `unexpected command ${cmd}` };
    }
  });
  return backend;
}

/** Lets pending promises and effects run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A component test's surroundings: a fresh mount point and a mocked backend per test
 * (answering with `answer`, recording every call), torn down after it.
 */
export function componentHarness(answer: (cmd: string, args: unknown) => unknown) {
  const harness = {
    root: document.createElement("div"),
    calls: [] as [string, unknown][],
    byTestId: (id: string) => harness.root.querySelector<HTMLElement>(`[data-testid="${id}"]`),
    /** Types `value` into an input as the seller would (its input event fires). */
    type(id: string, value: string) {
      const input = harness.byTestId(id) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    },
    /** Replaces the backend's answers for the rest of the test. */
    answer(next: (cmd: string, args: unknown) => unknown) {
      mockIPC((cmd, args) => {
        harness.calls.push([cmd, args]);
        return next(cmd, args);
      });
    },
  };
  beforeEach(() => {
    harness.root = document.createElement("div");
    document.body.append(harness.root);
    harness.calls.length = 0;
    harness.answer(answer);
  });
  afterEach(() => {
    render(null, harness.root);
    harness.root.remove();
    clearMocks();
  });
  return harness;
}
