import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import type { CustomerSuggestions, Filter, Method, ProductSuggestions, RecommendationReport, Rule } from "../../bindings";
import { formatCount, formatPercent } from "../../format";
import { t } from "../../i18n";
import { report } from "../../state";

export function methodText(method: Method): string {
  return t(`analytics.method.${method}`);
}

/** Each recommender scored on the seller's own orders against the best sellers, the best marked. */
function Evaluation(props: { report: RecommendationReport }) {
  const { evaluation, best } = props.report;
  return (
    <section class="card wide" data-testid="recommend-evaluation">
      <h2>{t("analytics.recommend.evaluation")}</h2>
      <p class="note">{t("analytics.recommend.explain", { customers: formatCount(evaluation.customers) })}</p>
      <table class="grid">
        <thead>
          <tr>
            <th>{t("analytics.recommend.method")}</th>
            <th class="number">{t("analytics.recommend.hitRate")}</th>
            <th class="number">{t("analytics.recommend.map")}</th>
            <th class="number">{t("analytics.recommend.overPopular")}</th>
          </tr>
        </thead>
        <tbody>
          {evaluation.methods.map((score) => (
            <tr key={score.method} data-testid="method-row" class={score.method === best ? "chosen" : ""}>
              <td>
                {methodText(score.method)}
                {score.method === best && <span class="badge">{t("analytics.recommend.best")}</span>}
              </td>
              <td class="number">{formatPercent(score.hit_rate)}</td>
              <td class="number">{score.map.toFixed(3)}</td>
              <td class="number">{score.method === "popular" ? "—" : `${score.over_popular.toFixed(2)}×`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.report.content_needs_model && <p class="note">{t("analytics.recommend.contentNeedsModel")}</p>}
    </section>
  );
}

function RulesTable(props: { rules: Rule[]; onProduct: (key: string) => void }) {
  return (
    <table class="grid" data-testid="rules-table">
      <thead>
        <tr>
          <th>{t("analytics.recommend.ifBought")}</th>
          <th>{t("analytics.recommend.then")}</th>
          <th class="number">{t("analytics.col.orders")}</th>
          <th class="number">{t("analytics.recommend.support")}</th>
          <th class="number">{t("analytics.recommend.confidence")}</th>
          <th class="number">{t("analytics.recommend.lift")}</th>
        </tr>
      </thead>
      <tbody>
        {props.rules.map((rule) => (
          <tr key={`${rule.if_bought.key}>${rule.then.key}`} data-testid="rule-row">
            <td>
              <button type="button" class="link" onClick={() => props.onProduct(rule.if_bought.key)}>
                {rule.if_bought.title}
              </button>
            </td>
            <td>{rule.then.title}</td>
            <td class="number">{formatCount(rule.orders)}</td>
            <td class="number">{formatPercent(rule.support)}</td>
            <td class="number">{formatPercent(rule.confidence)}</td>
            <td class="number">{rule.lift.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the buyers of one product also bought: its rules and its nearest products by customers in common. */
function AlsoBought(props: { found: ProductSuggestions }) {
  const { found } = props;
  return (
    <section class="card wide" data-testid="also-bought">
      <h2>{t("analytics.recommend.alsoTitle", { product: found.product.title, orders: formatCount(found.orders) })}</h2>
      <table class="grid">
        <thead>
          <tr>
            <th>{t("analytics.recommend.product")}</th>
            <th class="number">{t("analytics.recommend.customersBoth")}</th>
            <th class="number">{t("analytics.recommend.likeness")}</th>
          </tr>
        </thead>
        <tbody>
          {found.also_bought.map((other) => (
            <tr key={other.product.key}>
              <td>{other.product.title}</td>
              <td class="number">{formatCount(other.customers)}</td>
              <td class="number">{other.similarity.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Recommendations(props: { report: RecommendationReport; filter: Filter }) {
  const [product, setProduct] = useState<string | null>(null);
  const [found, setFound] = useState<ProductSuggestions | null>(null);
  useEffect(() => {
    if (!product) return setFound(null);
    let current = true;
    api.alsoBought(props.filter, product).then((answer) => current && setFound(answer), report);
    return () => {
      current = false;
    };
  }, [product, props.filter]);
  return (
    <div class="analytics-grid">
      <Evaluation report={props.report} />
      <section class="card wide">
        <h2>{t("analytics.recommend.together")}</h2>
        <p class="note">{t("analytics.recommend.togetherExplain")}</p>
        {props.report.rules.length === 0 ? (
          <p class="note">{t("analytics.recommend.noRules", { orders: formatCount(props.report.orders) })}</p>
        ) : (
          <RulesTable rules={props.report.rules} onProduct={setProduct} />
        )}
      </section>
      {found && <AlsoBought found={found} />}
    </div>
  );
}

/** A customer's suggested next products, each with the bought product that explains it. */
export function NextProducts(props: { customer: string; filter: Filter; version: number }) {
  const [found, setFound] = useState<CustomerSuggestions | null>(null);
  useEffect(() => {
    let current = true;
    api.nextProducts(props.filter, props.customer, null).then((answer) => current && setFound(answer), report);
    return () => {
      current = false;
    };
  }, [props.customer, props.filter, props.version]);
  if (!found || found.suggestions.length === 0) return null;
  return (
    <div class="next-products" data-testid="next-products">
      <h3>{t("analytics.recommend.next", { method: methodText(found.method) })}</h3>
      <ol>
        {found.suggestions.map((suggestion) => (
          <li key={suggestion.product.key}>
            {suggestion.product.title}{" "}
            <span class="note">
              {suggestion.because ? t("analytics.recommend.because", { product: suggestion.because.title }) : t("analytics.recommend.bestSeller")}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
