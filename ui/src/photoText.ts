// How photos' tags and checks read in the seller's language.

import type { CheckResult, PhotoVocabulary, Tag } from "./bindings";
import { dictionaries, language, t, type MessageKey } from "./i18n";

/** A tag's label as the seller reads it: a category's path, a vocabulary word in Chinese. */
export function tagText(tag: Tag, vocabulary: PhotoVocabulary | null): string {
  if (tag.group === "category") return tag.path ?? tag.label;
  if (language.value !== "zh-CN") return tag.label;
  const label = vocabulary?.groups.find((group) => group.key === tag.group)?.labels.find((found) => found.key === tag.label);
  return label?.zh ?? tag.label;
}

/** A vocabulary label's name in the seller's language. */
export function labelText(group: string, key: string, vocabulary: PhotoVocabulary | null): string {
  return tagText({ group, label: key, path: null, score: null, state: "added" }, vocabulary);
}

export function groupText(group: string): string {
  return t(`photos.group.${group}` as MessageKey);
}

/** A check as one sentence in the seller's language. */
export function checkText(result: CheckResult): string {
  return t(`photos.check.${result.check}`, { limit: result.limit, actual: result.actual });
}

/** A marketplace's name as sellers know it; one the rules file adds later shows as its key. */
export function marketplaceText(marketplace: string): string {
  const key = `marketplace.${marketplace}`;
  return key in dictionaries.en ? t(key as MessageKey) : marketplace;
}
