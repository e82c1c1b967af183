import { afterEach, describe, expect, it } from "vitest";
import { dictionaries, errorText, language, t, type MessageKey } from "./i18n";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

afterEach(() => {
  language.value = "en";
});

describe("UI text", () => {
  it("has every English message in Simplified Chinese, with the same placeholders", () => {
    const english = dictionaries.en;
    const chinese = dictionaries["zh-CN"];
    for (const key of Object.keys(english) as MessageKey[]) {
      expect(chinese[key], key).toBeTruthy();
      expect(placeholders(chinese[key]), key).toEqual(placeholders(english[key]));
    }
    expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
  });

  it("fills placeholders and follows the language signal", () => {
    expect(t("photos.count", { n: 12 })).toBe("12 photos");
    language.value = "zh-CN";
    expect(t("photos.count", { n: 12 })).toBe("12 张图片");
    expect(t("nav.listings")).toBe("商品");
  });

  it("tells a full disk apart from a file that cannot be written, in both languages", () => {
    expect(errorText("disk_full")).toContain("The disk is full");
    expect(errorText("disk_full")).not.toBe(errorText("cannot_write"));
    language.value = "zh-CN";
    expect(errorText("disk_full")).toContain("磁盘已满");
  });

  it("answers a key neither language has with the key itself, never throwing", () => {
    expect(t("job.kind.forecast_demand" as MessageKey)).toBe("job.kind.forecast_demand");
    language.value = "zh-CN";
    expect(t("job.kind.forecast_demand" as MessageKey)).toBe("job.kind.forecast_demand");
  });

  it("leaves an unknown placeholder visible rather than inventing a value", () => {
    expect(t("photos.count")).toBe("{n} photos");
  });
});
