import { api } from "../api";
import { t, type MessageKey } from "../i18n";
import { useLoad } from "../useLoad";
import { CodeSelect } from "./CodeSelect";

/** Picks a marketplace whose length limits to check ("" for none), with its label. */
export function MarketplaceSelect(props: { testId: string; label: MessageKey; value: string; onChange: (name: string) => void }) {
  const marketplaces = useLoad(api.marketplaces) ?? [];
  return (
    <label>
      {t(props.label)}{" "}
      <CodeSelect
        testId={props.testId}
        value={props.value}
        codes={marketplaces}
        onChange={props.onChange}
        none={t("review.noMarketplace")}
      />
    </label>
  );
}
