import { t, type MessageKey } from "../i18n";
import { formatCount } from "../format";
import { openView, overview, view, type ViewId } from "../state";

const items: { id: ViewId; count?: (o: NonNullable<typeof overview.value>) => number }[] = [
  { id: "listings", count: (o) => o.listings },
  { id: "photos", count: (o) => o.photos },
  { id: "analytics", count: (o) => o.orders },
  { id: "assistant" },
  { id: "models" },
  { id: "settings" },
];

export function Nav() {
  return (
    <nav class="nav" aria-label="Tradewind">
      {items.map((item) => {
        const count = item.count && overview.value ? item.count(overview.value) : null;
        return (
          <button
            type="button"
            key={item.id}
            data-testid={`nav-${item.id}`}
            class={view.value === item.id ? "active" : ""}
            aria-current={view.value === item.id ? "page" : undefined}
            onClick={() => openView(item.id)}
          >
            <span>{t(`nav.${item.id}` as MessageKey)}</span>
            {count != null && count > 0 && <span class="badge">{formatCount(count)}</span>}
          </button>
        );
      })}
    </nav>
  );
}
