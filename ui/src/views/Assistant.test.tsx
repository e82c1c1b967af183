import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import type { BuyerMessage, ReplyDraft } from "../bindings";
import { language } from "../i18n";
import { componentHarness, settle } from "../testing";
import { Assistant } from "./Assistant";

const draft: ReplyDraft = {
  buyer_language: "de",
  seller_language: "en",
  message: "When will my order #1042 ship?",
  message_translated: true,
  order: { number: "#1042", channel: "shopify", placed: "2025-03-02", payment: "paid", cancelled: null, country: "DE", total: "48.00 EUR", lines: ["1 × Sakura Tote (TOTE-1)"] },
  listings: [{ handle: "sakura-tote", title: "Sakura Stitch Canvas Tote", price: "48.00", description: "", likeness: 0.7 }],
  reply: "Your order #1042 leaves within 2 working days.",
  reply_for_buyer: "Ihre Bestellung #1042 wird innerhalb von 2 Werktagen verschickt.",
  to_check: [{ kind: "lost", span: "#1042", language: "de" }],
  finish: "end_of_turn",
  prompt_version: "reply-v1",
};

const inbox: BuyerMessage[] = [
  { id: 7, buyer: "ana_k", order: "1042", text: "Ist mein Paket schon unterwegs?", sent_at: "2025-03-04T09:00:00Z", source: "/inbox.csv" },
];
let pieces: string[] = [];
let imported: BuyerMessage[] = [];
const ui = componentHarness((cmd, args) => {
  if (cmd === "shop_policies") return { shop_name: "Kumo", shipping: "", returns: "", other: "" };
  if (cmd === "buyer_messages") return imported;
  if (cmd === "plugin:dialog|open") return "/inbox.csv";
  if (cmd === "import_messages") {
    imported = inbox;
    return { file: "/inbox.csv", added: 1, known: 0, skipped: 2 };
  }
  if (cmd === "draft_reply") {
    const channel = (args as { onText: { onmessage: (piece: string) => void } }).onText;
    for (const piece of pieces) channel.onmessage(piece);
    return draft;
  }
  return null;
});
const byTestId = ui.byTestId;

beforeEach(() => {
  language.value = "en";
  imported = [];
  pieces = ["Your order ", "#1042 ", "leaves within 2 working days."];
});

describe("the Assistant view", () => {
  it("drafts a reply to a pasted message and shows what it found, in both languages, editable", async () => {
    await act(() => render(<Assistant />, ui.root));
    await act(settle);
    expect((byTestId("draft-reply") as HTMLButtonElement).disabled).toBe(true);
    await act(() => ui.type("buyer-message", "Wann kommt meine Bestellung #1042?"));
    await act(() => byTestId("draft-reply")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["draft_reply", expect.objectContaining({ message: "Wann kommt meine Bestellung #1042?", generator: null })]);
    expect((byTestId("reply-text") as HTMLTextAreaElement).value).toBe(draft.reply);
    expect((byTestId("reply-for-buyer") as HTMLTextAreaElement).value).toBe(draft.reply_for_buyer);
    expect(byTestId("reply-found")!.textContent).toContain("The buyer wrote in German.");
    expect(byTestId("reply-order")!.textContent).toBe("Order #1042 · shopify · placed 2025-03-02 · 48.00 EUR");
    expect(byTestId("reply-check")!.textContent).toContain("“#1042” was lost by the translation into German");
    await act(() => ui.type("reply-text", "Your order #1042 leaves tomorrow."));
    expect((byTestId("reply-text") as HTMLTextAreaElement).value).toBe("Your order #1042 leaves tomorrow.");
  });

  it("speaks Chinese when the seller does, naming the buyer's language in Chinese", async () => {
    language.value = "zh-CN";
    await act(() => render(<Assistant />, ui.root));
    await act(() => ui.type("buyer-message", "Wann kommt meine Bestellung?"));
    await act(() => byTestId("draft-reply")!.click());
    await act(settle);
    expect(byTestId("reply-found")!.textContent).toContain("买家使用的语言：德语。");
    expect(byTestId("reply-check")!.textContent).toContain("译成德语时丢失了“#1042”");
    expect(byTestId("draft-reply")!.textContent).toBe("起草回复");
  });

  it("saves the shop policies the replies rely on", async () => {
    await act(() => render(<Assistant />, ui.root));
    await act(settle);
    await act(() => ui.type("policy-shipping", "Orders leave within 2 working days."));
    await act(() => byTestId("policies-save")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "set_shop_policies",
      { policies: { shop_name: "Kumo", shipping: "Orders leave within 2 working days.", returns: "", other: "" } },
    ]);
  });

  it("imports a messages file and answers a message about the order the file names", async () => {
    await act(() => render(<Assistant />, ui.root));
    await act(settle);
    expect(byTestId("inbox")!.textContent).toContain("Messages from buyers (0)");
    await act(() => byTestId("import-messages")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["import_messages", { path: "/inbox.csv" }]);
    expect(byTestId("messages-imported")!.textContent).toBe("1 new messages, 0 imported before; rows without a text left out: 2.");
    expect(byTestId("message-7")!.textContent).toContain("ana_k2025-03-04order 1042");
    await act(() => byTestId("answer-7")!.click());
    expect((byTestId("buyer-message") as HTMLTextAreaElement).value).toBe("Ist mein Paket schon unterwegs?");
    expect(byTestId("answering")!.textContent).toContain("Answering ana_k · order 1042");
    await act(() => byTestId("draft-reply")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["draft_reply", expect.objectContaining({ message: "Ist mein Paket schon unterwegs?", order: "1042" })]);
    await act(() => byTestId("answer-another")!.click());
    expect((byTestId("buyer-message") as HTMLTextAreaElement).value).toBe("");
    expect(byTestId("answering")).toBeNull();
  });
});
