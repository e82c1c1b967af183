import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, api } from "./api";
import type { JobEvent } from "./bindings";

afterEach(() => clearMocks());

describe("api", () => {
  it("passes arguments under the names the commands take", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === "set_language" ? "zh-CN" : null;
    });
    expect(await api.setLanguage("zh-CN")).toBe("zh-CN");
    await api.cancelJob(7);
    expect(calls).toEqual([
      ["set_language", { code: "zh-CN" }],
      ["cancel_job", { id: 7 }],
    ]);
  });

  it("turns a command error into an ApiError with its kind and sentence", async () => {
    mockIPC(() => {
      throw { kind: "database_locked", message: "the database /x/tradewind.db is locked by another program" };
    });
    const error = await api.overview().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe("database_locked");
    expect((error as ApiError).message).toContain("is locked");
  });

  it("starts a job with its spec and delivers its events", async () => {
    let spec: unknown = null;
    let channel: { onmessage: (event: JobEvent) => void } | null = null;
    mockIPC((cmd, args) => {
      if (cmd !== "start_job") return null;
      const payload = args as { spec: unknown; onEvent: { onmessage: (event: JobEvent) => void } };
      spec = payload.spec;
      channel = payload.onEvent;
      return 3;
    });
    const received: JobEvent[] = [];
    const id = await api.startJob({ kind: "import_orders", path: "/tmp/orders.csv" }, (event) => received.push(event));
    expect(id).toBe(3);
    expect(spec).toEqual({ kind: "import_orders", path: "/tmp/orders.csv" });
    const finished: JobEvent = {
      type: "finished",
      job_id: 3,
      state: "succeeded",
      outcome: { kind: "import_orders", file: "/tmp/orders.csv", imported: { orders: 2, lines: 3, skipped_rows: 0, layout: "shopify_orders" } },
      error_kind: null,
      message: "Imported 2 orders (3 line items) from /tmp/orders.csv",
    };
    channel!.onmessage(finished);
    expect(received).toEqual([finished]);
  });
});
