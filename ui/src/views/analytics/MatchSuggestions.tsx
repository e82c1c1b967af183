import { api } from "../../api";
import type { MatchSuggestion } from "../../bindings";
import { channelText, t } from "../../i18n";
import { dataVersion, report } from "../../state";

/** A customer as the seller knows them: the e-mail or the channel's username, without the key's prefix. */
export function customerLabel(key: string): string {
  return key.replace(/^(email|shopify|etsy|amazon|ebay|woocommerce):/, "");
}

/** Buyers known only by a channel who may be another channel's customer: the seller says whether they are one. */
export function MatchSuggestions(props: { pairs: MatchSuggestion[] }) {
  const found = props.pairs;
  if (found.length === 0) return null;
  async function decide(pair: MatchSuggestion, same: boolean) {
    try {
      await api.decideMatch(pair.customer, pair.with, same);
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  return (
    <section class="card wide" data-testid="match-suggestions">
      <h2>{t("analytics.matches.title")}</h2>
      <p class="note">{t("analytics.matches.explain")}</p>
      <ul class="matches">
        {found.slice(0, 20).map((pair) => (
          <li key={`${pair.customer} ${pair.with}`} data-testid="match-pair">
            <span>
              {t("analytics.matches.pair", {
                customer: customerLabel(pair.customer),
                channel: channelText(pair.channel),
                with: customerLabel(pair.with),
                channels: pair.with_channels.map(channelText).join(", "),
                name: pair.name,
                postal: pair.postal_code,
              })}
            </span>
            <button type="button" class="primary" data-testid="match-same" onClick={() => void decide(pair, true)}>
              {t("analytics.matches.same")}
            </button>
            <button type="button" onClick={() => void decide(pair, false)}>
              {t("analytics.matches.apart")}
            </button>
          </li>
        ))}
      </ul>
      {found.length > 20 && <p class="note">{t("analytics.matches.more", { n: found.length - 20 })}</p>}
    </section>
  );
}
