import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { BuyerMessage, MessagesImported, ReplyDraft, ShopPolicies, ToCheck } from "../bindings";
import { language, t, type MessageKey } from "../i18n";
import { report } from "../state";

/** A language code as the seller reads it, in the interface's language. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([language.value], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** What to look at, in the seller's language. */
export function checkText(check: ToCheck): string {
  switch (check.kind) {
    case "lost":
      return t("assistant.check.lost", { span: check.span, language: languageName(check.language) });
    case "invented":
      return t("assistant.check.invented", { code: check.code });
    case "no_translator":
      return t("assistant.check.no_translator", { from: languageName(check.from), to: languageName(check.to) });
  }
}

const POLICY_FIELDS: (keyof ShopPolicies)[] = ["shop_name", "shipping", "returns", "other"];

function CopyButton(props: { text: string; testid: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied(true);
    } catch (error) {
      report(error);
    }
  }
  return (
    <button type="button" data-testid={props.testid} onClick={() => void copy()}>
      {copied ? t("assistant.copied") : t("assistant.copy")}
    </button>
  );
}

function Policies() {
  const [policies, setPolicies] = useState<ShopPolicies | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    api.shopPolicies().then(setPolicies, report);
  }, []);
  if (!policies) return null;
  async function save() {
    if (!policies) return;
    try {
      await api.setShopPolicies(policies);
      setSaved(true);
    } catch (error) {
      report(error);
    }
  }
  return (
    <details class="policies" data-testid="policies">
      <summary>{t("assistant.policies")}</summary>
      <p class="note">{t("assistant.policies.help")}</p>
      {POLICY_FIELDS.map((field) => (
        <label key={field} class="stacked">
          {t(`assistant.policies.${field}` as MessageKey)}
          <textarea
            data-testid={`policy-${field}`}
            rows={field === "shop_name" ? 1 : 2}
            value={policies[field]}
            onInput={(event) => {
              setSaved(false);
              setPolicies({ ...policies, [field]: event.currentTarget.value });
            }}
          />
        </label>
      ))}
      <button type="button" data-testid="policies-save" onClick={() => void save()}>
        {t("assistant.policies.save")}
      </button>
      {saved && <span class="note"> {t("assistant.policies.saved")}</span>}
    </details>
  );
}

/** The buyers' messages imported from a file, each answered with one click. */
function Inbox(props: { onAnswer: (message: BuyerMessage) => void; answering: number | null }) {
  const [messages, setMessages] = useState<BuyerMessage[] | null>(null);
  const [imported, setImported] = useState<MessagesImported | null>(null);
  useEffect(() => {
    api.buyerMessages().then(setMessages, report);
  }, []);
  async function importFile() {
    try {
      const path = await api.pickFile(t("assistant.inbox.files"), ["csv", "tsv", "txt", "xlsx", "json"]);
      if (!path) return;
      setImported(await api.importMessages(path));
      setMessages(await api.buyerMessages());
    } catch (error) {
      report(error);
    }
  }
  if (!messages) return null;
  return (
    <section class="inbox" data-testid="inbox">
      <div class="actions">
        <h2>{t("assistant.inbox", { n: messages.length })}</h2>
        <button type="button" data-testid="import-messages" onClick={() => void importFile()}>
          {t("assistant.inbox.import")}
        </button>
      </div>
      {imported && (
        <p class="note" data-testid="messages-imported">
          {t("assistant.inbox.imported", { added: imported.added, known: imported.known, skipped: imported.skipped })}
        </p>
      )}
      {messages.length === 0 ? (
        <p class="note">{t("assistant.inbox.empty")}</p>
      ) : (
        <ul class="messages">
          {messages.map((message) => (
            <li key={message.id} class={props.answering === message.id ? "answering" : undefined} data-testid={`message-${message.id}`}>
              <div class="who">
                <strong>{message.buyer || t("assistant.inbox.someone")}</strong>
                {message.sent_at && <span class="note">{message.sent_at.slice(0, 10)}</span>}
                {message.order && <span class="note">{t("assistant.inbox.order", { number: message.order })}</span>}
              </div>
              <p>{message.text}</p>
              <button type="button" data-testid={`answer-${message.id}`} onClick={() => props.onAnswer(message)}>
                {t("assistant.inbox.answer")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The draft's facts: the buyer's language, the message understood, the order and products found. */
function Found(props: { draft: ReplyDraft }) {
  const { draft } = props;
  return (
    <div class="found" data-testid="reply-found">
      {draft.buyer_language !== draft.seller_language && (
        <p>
          {t("assistant.wroteIn", { language: languageName(draft.buyer_language) })}
          {draft.message_translated && (
            <>
              {" "}
              {t("assistant.understood")}: <q data-testid="reply-understood">{draft.message}</q>
            </>
          )}
        </p>
      )}
      <p data-testid="reply-order">
        {draft.order
          ? t("assistant.order", {
              number: draft.order.number,
              channel: draft.order.channel,
              placed: draft.order.placed,
              total: draft.order.total,
            })
          : t("assistant.noOrder")}
      </p>
      {draft.listings.map((listing) => (
        <p key={listing.handle}>{t("assistant.product", { title: listing.title })}</p>
      ))}
    </div>
  );
}

/** Paste a buyer's message, watch the reply being written, edit either language's version and copy it. */
export function Assistant() {
  const [message, setMessage] = useState("");
  const [answering, setAnswering] = useState<BuyerMessage | null>(null);
  const [writing, setWriting] = useState(false);
  const [streamed, setStreamed] = useState("");
  const [draft, setDraft] = useState<ReplyDraft | null>(null);
  const [reply, setReply] = useState("");
  const [forBuyer, setForBuyer] = useState("");
  async function start() {
    setWriting(true);
    setDraft(null);
    setStreamed("");
    try {
      const order = answering?.order || null;
      const done = await api.draftReply(message, order, (piece) => setStreamed((text) => text + piece));
      setDraft(done);
      setReply(done.reply);
      setForBuyer(done.reply_for_buyer ?? "");
    } catch (error) {
      report(error);
    } finally {
      setWriting(false);
    }
  }
  return (
    <section class="assistant" data-testid="assistant">
      <h1>{t("assistant.title")}</h1>
      <p class="note">{t("assistant.help")}</p>
      <Inbox
        answering={answering?.id ?? null}
        onAnswer={(chosen) => {
          setAnswering(chosen);
          setMessage(chosen.text);
          setDraft(null);
        }}
      />
      {answering && (
        <p class="note" data-testid="answering">
          {t("assistant.answering", { buyer: answering.buyer || t("assistant.inbox.someone") })}
          {answering.order && ` · ${t("assistant.inbox.order", { number: answering.order })}`}{" "}
          <button type="button" class="link" data-testid="answer-another" onClick={() => {
            setAnswering(null);
            setMessage("");
          }}>
            {t("assistant.answerAnother")}
          </button>
        </p>
      )}
      <label class="stacked">
        {t("assistant.message")}
        <textarea
          data-testid="buyer-message"
          rows={4}
          placeholder={t("assistant.placeholder")}
          value={message}
          onInput={(event) => setMessage(event.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button type="button" data-testid="draft-reply" disabled={writing || !message.trim()} onClick={() => void start()}>
          {t("assistant.draft")}
        </button>
        {writing && (
          <button type="button" data-testid="stop-writing" onClick={() => void api.stopWriting().catch(report)}>
            {t("assistant.stop")}
          </button>
        )}
      </div>
      {writing && (
        <div class="streaming" data-testid="reply-streaming" aria-live="polite">
          <span class="note">{t("assistant.writing")}</span>
          <p>{streamed}</p>
        </div>
      )}
      {draft && (
        <div class="draft" data-testid="reply-draft">
          <Found draft={draft} />
          {draft.finish === "stopped" && <p class="note">{t("assistant.stopped")}</p>}
          <div class="versions">
            <label class="stacked">
              {t("assistant.reply")}
              <textarea data-testid="reply-text" rows={8} value={reply} onInput={(event) => setReply(event.currentTarget.value)} />
              <CopyButton text={reply} testid="copy-reply" />
            </label>
            {draft.reply_for_buyer !== null && (
              <label class="stacked">
                {t("assistant.forBuyer", { language: languageName(draft.buyer_language) })}
                <textarea data-testid="reply-for-buyer" rows={8} value={forBuyer} onInput={(event) => setForBuyer(event.currentTarget.value)} />
                <CopyButton text={forBuyer} testid="copy-for-buyer" />
              </label>
            )}
          </div>
          {draft.to_check.length > 0 && (
            <div class="to-check" role="note" data-testid="reply-check">
              <strong>{t("assistant.check")}</strong>
              <ul>
                {draft.to_check.map((check) => (
                  <li key={JSON.stringify(check)}>{checkText(check)}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
      <Policies />
    </section>
  );
}
